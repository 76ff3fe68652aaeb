package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.spi.WorkspaceProvider;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The sandboxes of one spec and one {@link Settings} made ahead of demand by its provider's own {@code create}, so
 * that a pooled sandbox is exactly what a direct create with those settings returns. Each is handed out once and
 * never returned. Refills run on the executor, each holding a permit of the provider's {@code creations} semaphore;
 * a failed refill pauses the pool until the next take, so that a failing provider (a 429, an engine gone) sees one
 * round of refills per take, as many as the pool lacks within the bound on creations, rather than a loop.
 * Thread-safe.
 */
final class WarmPool {

    private record Ready(Workspace workspace, long madeAtNanos) {
    }

    private final WorkspaceProvider provider;
    private final WorkspaceSpec spec;
    private final Settings settings;
    private final Semaphore creations;
    private final Executor executor;
    private final Runnable creationEnded;

    private final Deque<Ready> ready = new ArrayDeque<>();
    private final List<RuntimeException> destroyFailures = new ArrayList<>();
    private int creating;
    private int destroying;
    private int target;
    private boolean paused;
    private boolean closed;

    /** {@code creationEnded} runs after each creation, when a permit of {@code creations} is free again. */
    WarmPool(WorkspaceProvider provider, WorkspaceSpec spec, Settings settings, Semaphore creations,
            Executor executor, Runnable creationEnded) {
        this.provider = provider;
        this.spec = spec;
        this.settings = settings;
        this.creations = creations;
        this.executor = executor;
        this.creationEnded = creationEnded;
    }

    /**
     * A ready sandbox, or null when none is; either way the pool then refills toward {@code config.size()}.
     * Sandboxes that waited longer than the configured idle time are destroyed in the background.
     */
    Workspace take(PoolConfig config) {
        List<Workspace> expired = new ArrayList<>();
        Workspace taken = null;
        synchronized (this) {
            if (closed) {
                return null;
            }
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
            synchronized (this) {
                if (closed || paused || ready.size() + creating >= target || !creations.tryAcquire()) {
                    return;
                }
                creating++;
            }
            try {
                executor.execute(this::create);
            } catch (RuntimeException e) {
                // The executor refused (it is shut down): the take that asked creates directly, as when the pool
                // is empty, and the pool waits for the next take instead of counting a creation that never runs.
                creations.release();
                synchronized (this) {
                    creating--;
                    paused = true;
                    notifyAll();
                }
                return;
            }
        }
    }

    private void create() {
        Workspace made = null;
        try {
            made = provider.create(spec, settings);
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
        } finally {
            // counted down whatever was thrown, an Error too: a drain waits for this count
            synchronized (this) {
                if (failure != null) {
                    destroyFailures.add(failure);
                }
                destroying--;
                notifyAll();
            }
        }
    }

    /**
     * Closes the pool: destroys what is ready and waits, at most {@code patience}, until every creation and destroy
     * under way has ended. A creation that ends after the close destroys its sandbox, even after the wait gave up.
     *
     * @return the destroy failures seen during the wait, to report; empty when everything was removed
     */
    List<RuntimeException> drain(Duration patience) {
        List<Workspace> held = new ArrayList<>();
        synchronized (this) {
            closed = true;
            ready.forEach(r -> held.add(r.workspace()));
            ready.clear();
            destroying += held.size();
        }
        held.forEach(this::destroy);
        long deadline = System.nanoTime() + patience.toNanos();
        synchronized (this) {
            while (creating + destroying > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return List.copyOf(destroyFailures);
        }
    }
}
