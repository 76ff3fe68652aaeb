package dev.magpie.sandbox.daytona;

import dev.magpie.sandbox.CommandStartException;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.internal.ExitCodes;
import dev.magpie.sandbox.OutputListener;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.OutputCollector;
import dev.magpie.sandbox.internal.ShellWords;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs one command in a session of the workspace's {@link SessionPool}, so stdout and stderr come back apart. The
 * command runs in a subshell, so the directory and variables it sets do not carry over to the next command of the
 * session, and an {@code exit} ends only the subshell.
 *
 * <p>Without a listener, one synchronous request runs it and brings its exit code and output back together,
 * streamed into the collectors. With one, it starts asynchronously and is polled until it has an exit code, each
 * poll streaming the logs so far to the listener. Sessions have no server-side timeout, so the timeout is enforced
 * here: past it the request is abandoned (or polling stops), the logs so far are read and the session is deleted,
 * which kills the command. The logs are never held whole, so output of any size fits in the request's output
 * limit.
 */
final class SessionExec {

    private static final long FIRST_POLL_MS = 2;
    private static final long MAX_POLL_MS = 200;

    private SessionExec() {
    }

    static ExecResult run(DaytonaToolbox toolbox, SessionPool sessions, ExecRequest request, String directory,
                          Map<String, String> env) {
        String stdinFile = null;
        if (request.hasStdin()) {
            // Streamed to a file beside the command, which the command line opens as stdin and unlinks at once.
            stdinFile = (directory.endsWith("/") ? directory : directory + "/") + ".magpie-stdin-" + UUID.randomUUID();
            toolbox.uploadStdin(stdinFile, request);
        }
        String line = "(\n" + ShellCommand.build(request, directory, env, stdinFile) + "\n)";
        long start = System.nanoTime();
        String session = sessions.take();
        boolean reusable = false;
        RuntimeException failure = null;
        try {
            Feed feed = new Feed(request);
            Optional<Integer> exit;
            try {
                exit = runIn(toolbox, session, line, request, feed, start);
            } catch (SessionGone gone) {
                // the kept session is gone (the sandbox restarted, or someone deleted it): so are the others kept
                sessions.forgetIdle();
                session = sessions.create();
                try {
                    exit = runIn(toolbox, session, line, request, feed, start);
                } catch (SessionGone again) {
                    throw again.refusal;
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            boolean timedOut = exit.isEmpty();
            reusable = !timedOut;
            int code = timedOut ? ExecResult.KILLED : ExitCodes.of(exit.get());
            if (!timedOut && code == 127 && notFound(feed.stderr.text(), request.command().get(0))) {
                throw new CommandStartException(request.command().get(0), "not found in sandbox "
                        + toolbox.sandboxId(), null);
            }
            return new ExecResult(request.command(), code, feed.stdout.text(), feed.stderr.text(), took, timedOut,
                    feed.stdout.truncated() || feed.stderr.truncated());
        } catch (Http.LostReply e) {
            failure = new WorkspaceException("Lost the connection to the toolbox of sandbox " + toolbox.sandboxId()
                    + " while running " + ShellWords.join(request.command()) + ": " + e.getMessage(), e);
            throw failure;
        } catch (CommandStartException e) {
            failure = e;
            throw e;
        } catch (RuntimeException e) {
            failure = e;
            reusable = false;
            throw e;
        } finally {
            finish(sessions, session, reusable, failure);
        }
    }

    private static Optional<Integer> runIn(DaytonaToolbox toolbox, String session, String line, ExecRequest request,
                                           Feed feed, long start) {
        return request.listener() == OutputListener.NONE ? runWaiting(toolbox, session, line, request, feed, start)
                : poll(toolbox, session, line, request, feed, start);
    }

    /**
     * A command refused because its session does not exist (404): it did not run, so it may run in another
     * session. Never leaves this class.
     */
    private static final class SessionGone extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final DaytonaApiException refusal;

        SessionGone(DaytonaApiException refusal) {
            super(refusal.getMessage(), refusal, false, false);
            this.refusal = refusal;
        }
    }

    /** Runs the request that starts a command, turning a missing session into {@link SessionGone}. */
    private static <T> T gone(java.util.function.Supplier<T> start) {
        try {
            return start.get();
        } catch (DaytonaApiException e) {
            if (e.status() == 404) {
                throw new SessionGone(e);
            }
            throw e;
        }
    }

    /**
     * Gives the session back, or deletes it when its command may still run. A failed delete is thrown when
     * nothing else failed (a timed-out command may still run), else kept beside the first failure.
     */
    private static void finish(SessionPool sessions, String session, boolean reusable, RuntimeException failure) {
        if (reusable) {
            sessions.giveBack(session);
            return;
        }
        try {
            sessions.discard(session);
        } catch (RuntimeException cleanup) {
            if (failure == null) {
                throw cleanup;
            }
            failure.addSuppressed(cleanup);
        }
    }

    /**
     * Runs the command in one request that waits for it to end. Past the timeout the request is abandoned: the
     * command's output so far is read from the session (it is the one command there without an exit code), and
     * deleting the session afterwards kills it. Empty when it timed out.
     */
    private static Optional<Integer> runWaiting(DaytonaToolbox toolbox, String session, String line,
                                                ExecRequest request, Feed feed, long start) {
        Duration limit = request.timeout().map(t -> t.minusNanos(System.nanoTime() - start)).orElse(null);
        try {
            Optional<Integer> exit = gone(() -> toolbox.run(session, line, limit, feed::startLast, feed.out,
                    feed.err));
            feed.close();
            return exit;
        } catch (Http.LostReply e) {
            // the call's own time limit ends it with a bare InterruptedIOException; anything else broke
            boolean limitPassed = e.getCause() instanceof java.io.InterruptedIOException
                    && !(e.getCause() instanceof java.net.SocketTimeoutException);
            if (limit == null || !limitPassed) {
                throw e;
            }
        }
        List<String> running = toolbox.runningCommands(session);
        if (running.size() == 1) {
            feed.read(toolbox, session, running.get(0), true);
        } else {
            feed.close();
        }
        return Optional.empty();
    }

    /** Starts the command and polls it until it ends or times out; empty when it timed out. */
    private static Optional<Integer> poll(DaytonaToolbox toolbox, String session, String line, ExecRequest request,
                                          Feed feed, long start) {
        long deadline = request.timeout().map(t -> start + t.toNanos()).orElse(Long.MAX_VALUE);
        String commandId = gone(() -> toolbox.startCommand(session, line));
        Optional<Integer> exit;
        long pause = FIRST_POLL_MS;
        while (true) {
            exit = toolbox.command(session, commandId).exitCode();
            if (exit.isPresent() || System.nanoTime() >= deadline) {
                break;
            }
            feed.read(toolbox, session, commandId, false);
            long left = (deadline - System.nanoTime()) / 1_000_000;
            Http.sleep(Duration.ofMillis(Math.max(1, Math.min(pause, left))));
            pause = Math.min(MAX_POLL_MS, pause * 2);
        }
        feed.read(toolbox, session, commandId, true);
        return exit;
    }

    private static boolean notFound(String stderr, String program) {
        return stderr.contains(program) && (stderr.contains("not found") || stderr.contains("No such file"));
    }

    /**
     * The output as it arrives. Every poll reads the logs from their start: what was taken before is skipped, and
     * while the command runs only complete lines are taken (a prefix ending in a newline never changes, and never
     * ends inside a UTF-8 character); the last read, once the command ended, takes the rest. The collectors keep
     * the head and tail within the request's limit.
     */
    private static final class Feed {
        final OutputCollector stdout;
        final OutputCollector stderr;
        final Channel out;
        final Channel err;

        Feed(ExecRequest request) {
            stdout = new OutputCollector(request.outputLimit(), OutputListener.Channel.STDOUT, request.listener());
            stderr = new OutputCollector(request.outputLimit(), OutputListener.Channel.STDERR, request.listener());
            out = new Channel(stdout);
            err = new Channel(stderr);
        }

        void read(DaytonaToolbox toolbox, String session, String commandId, boolean last) {
            toolbox.logs(session, commandId, () -> {
                out.start(last);
                err.start(last);
            }, out, err);
            if (last) {
                close();
            }
        }

        /** Readies both streams for the whole output, which follows. */
        void startLast() {
            out.start(true);
            err.start(true);
        }

        void close() {
            stdout.close();
            stderr.close();
        }
    }

    /** One stream of the logs on its way into its collector. */
    static final class Channel implements LogStream.Sink {
        /** A line longer than this is taken in pieces, so a stream without newlines still moves. */
        private static final int MAX_PENDING = 64 * 1024;
        /** Bytes at the end of what was read that may still change: a character the server saw only part of. */
        private static final int UNSETTLED = 4;

        private final OutputCollector collector;
        private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
        private long taken;
        private long position;
        private boolean last;

        Channel(OutputCollector collector) {
            this.collector = collector;
        }

        void start(boolean lastRead) {
            position = 0;
            pending.reset();
            last = lastRead;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            int skip = (int) Math.max(0, Math.min(length, taken - position));
            position += length;
            int from = offset + skip;
            int end = offset + length;
            if (from == end) {
                return;
            }
            if (last) {
                take(bytes, from, end - from);
                return;
            }
            int newline = end - 1;
            while (newline >= from && bytes[newline] != '\n') {
                newline--;
            }
            if (newline >= from) {
                takePending();
                take(bytes, from, newline + 1 - from);
                from = newline + 1;
            }
            pending.write(bytes, from, end - from);
            if (pending.size() > MAX_PENDING) {
                byte[] held = pending.toByteArray();
                pending.reset();
                take(held, 0, held.length - UNSETTLED);
                pending.write(held, held.length - UNSETTLED, UNSETTLED);
            }
        }

        private void takePending() {
            if (pending.size() > 0) {
                byte[] held = pending.toByteArray();
                pending.reset();
                take(held, 0, held.length);
            }
        }

        private void take(byte[] bytes, int offset, int length) {
            collector.append(bytes, offset, length);
            taken += length;
        }
    }
}
