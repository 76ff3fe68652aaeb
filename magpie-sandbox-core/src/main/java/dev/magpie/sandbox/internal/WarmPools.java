package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.ConfigurationException;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.spi.WorkspaceProvider;
import java.time.Duration;
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
 * The warm pools of this JVM, one per provider, spec and {@link Settings} instance: a provider reads much from the
 * settings (isolation, image, credentials), so a pooled sandbox is only handed to a request made with the settings
 * it was made with. A spec is pooled from its second request on: a spec asked for once (a test's own temporary
 * repository, a per-test variable) would otherwise leave a pool of sandboxes nobody takes. A spec naming an existing
 * path is never pooled: there is nothing to make ahead. The pools of one provider share its bound on creations in
 * flight, read when its first pool starts after a drain. Drained at JVM exit by a shutdown hook, after which
 * requests create directly, and by {@link #drain} before (the JUnit launcher session's end). Thread-safe.
 */
public final class WarmPools {

    /** {@link Settings} has no {@code equals}: its sources are functions, so the key holds the instance. */
    private record Key(ProviderId provider, WorkspaceSpec spec, Settings settings) {
    }

    /**
     * How long a drain waits for the creations under way, all pools together; a creation that ends later destroys
     * its sandbox itself.
     */
    private static final Duration DRAIN_PATIENCE = Duration.ofSeconds(30);

    private static final Map<Key, WarmPool> POOLS = new ConcurrentHashMap<>();
    private static final Set<Key> ASKED = ConcurrentHashMap.newKeySet();
    private static final Map<ProviderId, Semaphore> CREATIONS = new ConcurrentHashMap<>();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();
    private static volatile boolean exiting;
    private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(new DaemonThreads());

    private WarmPools() {
    }

    /**
     * A sandbox of the spec: from its pool when pools are on for the provider and one is ready, otherwise created
     * here by the provider, exactly as without a pool (its errors included). The spec has passed validation.
     */
    public static Workspace take(WorkspaceProvider provider, WorkspaceSpec spec, Settings settings) {
        PoolConfig config = PoolConfig.of(provider.id(), settings);
        Key key = new Key(provider.id(), spec, settings);
        if (exiting || config.size() == 0 || spec.path().isPresent() || ASKED.add(key)) {
            return provider.create(spec, settings);
        }
        WarmPool pool = POOLS.computeIfAbsent(key, k -> start(provider, spec, settings, config));
        Workspace taken = pool.take(config);
        return taken != null ? taken : provider.create(spec, settings);
    }

    /** Reads the provider's pool keys as a take does, which throws {@link ConfigurationException} on a bad one. */
    public static void check(ProviderId provider, Settings settings) {
        PoolConfig.of(provider, settings);
    }

    /** How many sandboxes of the spec and settings their pool holds ready now; 0 when it has no pool. */
    public static int ready(ProviderId provider, WorkspaceSpec spec, Settings settings) {
        WarmPool pool = POOLS.get(new Key(provider, spec, settings));
        return pool == null ? 0 : pool.ready();
    }

    /**
     * Destroys every pooled sandbox, including those of pools started meanwhile, and waits a while for the creations
     * under way, which destroy theirs; later requests start new pools, with the bound on creations read again. A
     * second drain waits for the first.
     *
     * @throws WorkspaceException when a sandbox could not be destroyed, each failure suppressed in it
     */
    public static synchronized void drain() {
        List<RuntimeException> failures = new ArrayList<>();
        long deadline = System.nanoTime() + DRAIN_PATIENCE.toNanos();
        while (!POOLS.isEmpty()) {
            for (Key key : List.copyOf(POOLS.keySet())) {
                WarmPool pool = POOLS.remove(key);
                if (pool != null) {
                    failures.addAll(pool.drain(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
                }
            }
        }
        ASKED.clear();
        CREATIONS.clear();
        if (!failures.isEmpty()) {
            WorkspaceException error = new WorkspaceException(failures.size() + " pooled sandbox(es) could not be"
                    + " destroyed when the pools were drained: " + failures.get(0).getMessage() + ". What is left"
                    + " is removed by the next run's sweep, or by hand as the error says.");
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }

    private static WarmPool start(WorkspaceProvider provider, WorkspaceSpec spec, Settings settings,
            PoolConfig config) {
        if (HOOKED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(WarmPools::drainAtExit, "magpie-pool-drain"));
        }
        Semaphore creations = CREATIONS.computeIfAbsent(provider.id(), id -> new Semaphore(config.inflight()));
        return new WarmPool(provider, spec, settings, creations, EXECUTOR, () -> refill(provider.id()));
    }

    /** A permit of the provider is free: its pools that are below their size may use it. */
    private static void refill(ProviderId provider) {
        POOLS.forEach((key, pool) -> {
            if (key.provider().equals(provider)) {
                pool.refill();
            }
        });
    }

    /** The shutdown hook's drain, the JVM's last: requests after it create directly. */
    static void drainAtExit() {
        // Set before the drain: a pool started by a request during it would outlive the JVM's last drain.
        exiting = true;
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
