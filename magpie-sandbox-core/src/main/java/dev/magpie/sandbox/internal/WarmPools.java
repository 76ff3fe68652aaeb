package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.spi.WorkspaceProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The warm pools of this JVM, one per provider and spec. A spec is pooled from its second request on: a spec asked
 * for once (a test's own temporary repository, a per-test variable) would otherwise leave a pool of sandboxes
 * nobody takes. A spec naming an existing path is never pooled: there is nothing to make ahead. The pools of one
 * provider share its bound on creations in flight, read when its first pool starts. Drained at JVM exit by a
 * shutdown hook, and by {@link #drain} before (the JUnit launcher session's end). Thread-safe.
 */
public final class WarmPools {

    private record Key(ProviderId provider, WorkspaceSpec spec) {
    }

    private static final Map<Key, WarmPool> POOLS = new ConcurrentHashMap<>();
    private static final Set<Key> ASKED = ConcurrentHashMap.newKeySet();
    private static final Map<ProviderId, Semaphore> CREATIONS = new ConcurrentHashMap<>();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();
    private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(new DaemonThreads());

    private WarmPools() {
    }

    /**
     * A sandbox of the spec: from its pool when pools are on for the provider and one is ready, otherwise created
     * here by the provider, exactly as without a pool (its errors included). The spec has passed validation.
     */
    public static Workspace take(WorkspaceProvider provider, WorkspaceSpec spec, Settings settings) {
        PoolConfig config = PoolConfig.of(provider.id(), settings);
        Key key = new Key(provider.id(), spec);
        if (config.size() == 0 || spec.path().isPresent() || ASKED.add(key)) {
            return provider.create(spec, settings);
        }
        WarmPool pool = POOLS.computeIfAbsent(key, k -> start(provider, spec, config));
        Workspace taken = pool.take(settings, config);
        return taken != null ? taken : provider.create(spec, settings);
    }

    /** How many sandboxes of the spec its pool holds ready now; 0 when it has no pool. */
    public static int ready(ProviderId provider, WorkspaceSpec spec) {
        WarmPool pool = POOLS.get(new Key(provider, spec));
        return pool == null ? 0 : pool.ready();
    }

    /**
     * Destroys every pooled sandbox and waits for the creations under way, which destroy theirs; later requests
     * start new pools.
     *
     * @throws WorkspaceException when a sandbox could not be destroyed, each failure suppressed in it
     */
    public static void drain() {
        List<RuntimeException> failures = new ArrayList<>();
        for (Key key : List.copyOf(POOLS.keySet())) {
            WarmPool pool = POOLS.remove(key);
            if (pool != null) {
                failures.addAll(pool.drain());
            }
        }
        ASKED.clear();
        if (!failures.isEmpty()) {
            WorkspaceException error = new WorkspaceException(failures.size() + " pooled sandbox(es) could not be"
                    + " destroyed when the pools were drained: " + failures.get(0).getMessage() + ". What is left"
                    + " is removed by the next run's sweep, or by hand as the error says.");
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }

    private static WarmPool start(WorkspaceProvider provider, WorkspaceSpec spec, PoolConfig config) {
        if (HOOKED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(WarmPools::drainAtExit, "magpie-pool-drain"));
        }
        Semaphore creations = CREATIONS.computeIfAbsent(provider.id(), id -> new Semaphore(config.inflight()));
        return new WarmPool(provider, spec, creations, EXECUTOR, () -> refill(provider.id()));
    }

    /** A permit of the provider is free: its pools that are below their size may use it. */
    private static void refill(ProviderId provider) {
        POOLS.forEach((key, pool) -> {
            if (key.provider().equals(provider)) {
                pool.refill();
            }
        });
    }

    private static void drainAtExit() {
        try {
            drain();
        } catch (WorkspaceException e) {
            // No caller is left at exit; the error names what remains for the next run's sweep.
            System.err.println("magpie: " + e.getMessage());
        }
    }

    /** Refills never keep the JVM alive; the shutdown hook drains what they made. */
    private static final class DaemonThreads implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "magpie-pool-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
