package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.spi.WorkspaceProvider;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

/**
 * The sandboxes of one spec made ahead of demand by its provider's own {@code create}, so that a pooled sandbox is
 * exactly what a direct create returns. Each is handed out once and never returned. Refills run on the executor,
 * each holding a permit of the provider's {@code creations} semaphore; a failed refill pauses the pool until the
 * next take, so that a failing provider (a 429, an engine gone) sees at most one refill per take rather than a
 * loop. Thread-safe.
 */
final class WarmPool {

    private record Ready(Workspace workspace, long madeAtNanos) {
    }

    private final WorkspaceProvider provider;
    private final WorkspaceSpec spec;
    private final Semaphore creations;
    private final Executor executor;
    private final Runnable creationEnded;

    private final Deque<Ready> ready = new ArrayDeque<>();
    private final List<RuntimeException> destroyFailures = new ArrayList<>();
    private int creating;
    private int destroying;
    private int target;
    private Settings settings;
    private boolean paused;
    private boolean closed;

    /** {@code creationEnded} runs after each creation, when a permit of {@code creations} is free again. */
    WarmPool(WorkspaceProvider provider, WorkspaceSpec spec, Semaphore creations, Executor executor,
            Runnable creationEnded) {
        this.provider = provider;
        this.spec = spec;
        this.creations = creations;
        this.executor = executor;
        this.creationEnded = creationEnded;
    }

    /**
     * A ready sandbox, or null when none is; either way the pool then refills toward {@code config.size()} with
     * these settings. Sandboxes that waited longer than the configured idle time are destroyed in the background.
     */
    Workspace take(Settings current, PoolConfig config) {
        List<Workspace> expired = new ArrayList<>();
        Workspace taken = null;
        synchronized (this) {
            if (closed) {
                return null;
            }
            settings = current;
            target = config.size();
            long maxIdleNanos = config.maxIdle().toNanos();
            paused = false;
            long now = System.nanoTime();
            while (taken == null && !ready.isEmpty()) {
                Ready next = ready.pollFirst();
                if (now - next.madeAtNanos() > maxIdleNanos) {
                    expired.add(next.workspace());
                } else {
                    taken = next.workspace();
                }
            }
            destroying += expired.size();
        }
        expired.forEach(workspace -> executor.execute(() -> destroy(workspace)));
        refill();
        return taken;
    }

    /** How many are ready now. */
    synchronized int ready() {
        return ready.size();
    }

    /** Starts creations while the pool is below its size and the provider has a permit free. */
    void refill() {
        while (true) {
            Settings using;
            synchronized (this) {
                if (closed || paused || ready.size() + creating >= target || !creations.tryAcquire()) {
                    return;
                }
                creating++;
                using = settings;
            }
            executor.execute(() -> create(using));
        }
    }

    private void create(Settings using) {
        Workspace made = null;
        try {
            made = provider.create(spec, using);
        } catch (RuntimeException e) {
            // Not reported here: the test that finds the pool empty creates directly, and gets this error itself
            // when it persists.
            synchronized (this) {
                paused = true;
            }
        } finally {
            creations.release();
            settle(made);
        }
        creationEnded.run();
    }

    /** Books an ended creation: its sandbox joins the pool, or is destroyed when the pool closed meanwhile. */
    private void settle(Workspace made) {
        boolean discard;
        synchronized (this) {
            creating--;
            discard = made != null && closed;
            if (discard) {
                destroying++;
            } else if (made != null) {
                ready.addLast(new Ready(made, System.nanoTime()));
            }
            notifyAll();
        }
        if (discard) {
            destroy(made);
        }
    }

    private void destroy(Workspace workspace) {
        RuntimeException failure = null;
        try {
            workspace.destroy();
        } catch (RuntimeException e) {
            failure = e;
        }
        synchronized (this) {
            if (failure != null) {
                destroyFailures.add(failure);
            }
            destroying--;
            notifyAll();
        }
    }

    /**
     * Closes the pool: destroys what is ready and waits until every creation and destroy under way has ended (a
     * creation that ends after the close destroys its sandbox).
     *
     * @return the destroy failures, to report; empty when everything was removed
     */
    List<RuntimeException> drain() {
        List<Workspace> held = new ArrayList<>();
        synchronized (this) {
            closed = true;
            ready.forEach(r -> held.add(r.workspace()));
            ready.clear();
            destroying += held.size();
        }
        held.forEach(this::destroy);
        synchronized (this) {
            while (creating + destroying > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return List.copyOf(destroyFailures);
        }
    }
}
