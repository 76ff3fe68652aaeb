package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.BackgroundProcess;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.OutputListener;
import dev.magpie.sandbox.ReadyCheck;
import dev.magpie.sandbox.ServiceNotReadyException;
import dev.magpie.sandbox.WorkspaceException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * One background command: the provider's foreground run on a thread of its own, its processes marked so that
 * they can be signalled, its recent lines kept for readiness and messages.
 */
final class BackgroundRun implements BackgroundProcess {

    /** How long the processes may take to be reaped once killed, before stop reports them as possibly running. */
    private static final Duration AFTER_KILL = Duration.ofSeconds(30);
    private static final long MAX_PAUSE_MS = 100;

    private final ExecRequest request;
    private final ServiceHost host;
    private final String marker;
    private final UnaryOperator<String> redaction;
    private final RecentLines recent = new RecentLines();
    private final LiveInput input;
    private final CompletableFuture<ExecResult> result = new CompletableFuture<>();

    BackgroundRun(ExecRequest request, ServiceHost host, String marker, UnaryOperator<String> redaction) {
        this.request = request;
        this.host = host;
        this.marker = marker;
        this.redaction = redaction;
        this.input = request.hasStdin() ? null : host.streamsInput() ? new StreamInput() : new FifoInput(host);
    }

    /** Starts the command on a daemon thread of its own; its result or failure completes {@link #result}. */
    void begin(String threadName, Runnable whenDone) {
        OutputListener user = request.listener();
        ExecRequest.Builder marked = request.newBuilder()
                .env(marker.substring(0, marker.indexOf('=')), marker.substring(marker.indexOf('=') + 1))
                .listener((channel, line) -> {
                    user.onLine(channel, line); // first, so that a line seen ready has reached the user
                    recent.onLine(channel, line);
                });
        ExecRequest shown = marked.build();
        ExecRequest attached = input == null ? shown : input.attach(shown);
        ExecRequest run = host.marked(attached, marker);
        Thread thread = new Thread(() -> {
            try {
                ExecResult ran = host.run(shown, run);
                if (run != attached) {
                    ShellSignal.checkStarted(request, ran);
                }
                if (input != null) {
                    input.checkStarted(request, ran);
                }
                result.complete(ran);
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            } finally {
                if (input != null) {
                    input.release();
                }
                whenDone.run();
                synchronized (recent) {
                    recent.notifyAll();
                }
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public List<String> command() {
        return request.command();
    }

    @Override
    public boolean isRunning() {
        return !result.isDone();
    }

    @Override
    public Optional<ExecResult> waitFor(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        try {
            return Optional.of(result.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkspaceException("Interrupted while waiting for " + describe() + " to end; it still runs.", e);
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        }
    }

    @Override
    public BackgroundProcess waitUntilReady(ReadyCheck check, Duration timeout) {
        Objects.requireNonNull(check, "check");
        long begun = System.nanoTime();
        long deadline = begun + timeout.toNanos();
        while (true) {
            boolean ended = result.isDone(); // first: a line that came just before the end still counts
            if (passes(check)) {
                return this;
            }
            if (ended) {
                throw notReady(check, timeout, "ended before it was ready, " + ending());
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw notReady(check, timeout, "still ran, not ready, when the deadline passed");
            }
            // New lines and the end wake the wait; ports and HTTP are polled, a tenth of the time waited so far
            // apart: the readiness is seen at most about 10 % late, and a slow service costs few probes.
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun);
            long pause = Math.max(1, Math.min(MAX_PAUSE_MS, waited / 10));
            try {
                recent.awaitLine(Math.min(left, pause));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WorkspaceException("Interrupted while waiting for " + describe() + " to be ready.", e);
            }
        }
    }

    private boolean passes(ReadyCheck check) {
        if (check instanceof ReadyCheck.Line line) {
            return recent.matched(line.pattern());
        }
        if (check instanceof ReadyCheck.Port port) {
            return host.accepts(port.port());
        }
        ReadyCheck.Http http = (ReadyCheck.Http) check;
        int status = Probes.status(host.endpoint(http.port()).resolve(http.path()));
        return status >= http.lowest() && status <= http.highest();
    }

    @Override
    public ExecResult stop(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (!result.isDone()) {
            if (input != null) {
                input.release();
            }
            if (!grace.isZero()) { // without a grace period, a SIGTERM would only race the kill
                host.signal(marker, false);
                waitFor(grace);
            }
        }
        kill();
        return waitFor(Duration.ZERO).orElseThrow();
    }

    /**
     * Kills every process of the command, a daemon it left behind too, and waits for its run to report; for stop and
     * the workspace's destroy. The signal goes at least once, and again until the run reports, as a command started
     * a moment ago may not have a process yet; a signal that fails is tried again until the deadline.
     */
    void kill() {
        long deadline = System.nanoTime() + AFTER_KILL.toNanos();
        long pauseMs = 20;
        RuntimeException failed = null;
        do {
            try {
                host.signal(marker, true);
                failed = null;
            } catch (RuntimeException e) {
                failed = e;
            }
            long left = deadline - System.nanoTime();
            try {
                result.get(Math.min(TimeUnit.MILLISECONDS.toNanos(pauseMs), Math.max(left, 0)), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (left <= 0) {
                    WorkspaceException timedOut = new WorkspaceException("Killed the processes of " + describe()
                            + ", but its run did not report their end within " + AFTER_KILL.toSeconds() + " s; some"
                            + " may still run. Destroy the workspace to end them all.");
                    if (failed != null) {
                        timedOut.addSuppressed(failed);
                    }
                    throw timedOut;
                }
                pauseMs = Math.min(pauseMs * 2, 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WorkspaceException("Interrupted while stopping " + describe() + "; it was killed.", e);
            } catch (ExecutionException e) {
                // The run failed as its processes died (the workspace went away): nothing runs.
            }
        } while (!result.isDone());
    }

    @Override
    public void writeInput(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (input == null) {
            throw new WorkspaceException("Cannot write to the stdin of " + describe() + ": its request gave stdin"
                    + " of its own. Start it without stdin to feed it while it runs.");
        }
        if (!isRunning()) {
            throw new WorkspaceException("Cannot write to the stdin of " + describe() + ": it has ended, "
                    + ending() + ".");
        }
        input.write(bytes);
    }

    @Override
    public void closeInput() {
        if (input != null) {
            input.close();
        }
    }

    @Override
    public String recentOutput() {
        return redaction.apply(recent.tail());
    }

    @Override
    public String toString() {
        return "BackgroundProcess[" + describe() + "]" + (isRunning() ? " (running)" : " (ended)");
    }

    private ServiceNotReadyException notReady(ReadyCheck check, Duration timeout, String what) {
        String output = recentOutput();
        return new ServiceNotReadyException("Expected " + describe() + " to be ready (" + check + ") within "
                + timeout.toMillis() + " ms, but it " + what + ". Check the command and its output below; if it"
                + " needs longer, give a longer timeout. Its recent output:\n" + output, output, result.isDone());
    }

    private String ending() {
        try {
            ExecResult ended = result.getNow(null);
            return ended == null ? "for an unknown reason" : "with exit code " + ended.exitCode()
                    + (ended.timedOut() ? " (its timeout killed it)" : "");
        } catch (java.util.concurrent.CompletionException e) {
            return "failing: " + e.getCause().getMessage();
        }
    }

    private String describe() {
        return redaction.apply(ShellWords.join(request.command()));
    }

    private static RuntimeException failure(Throwable cause) {
        if (cause instanceof WorkspaceException e) {
            return e;
        }
        return new WorkspaceException("The background command failed: " + cause, cause);
    }
}
