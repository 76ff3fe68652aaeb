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
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs one command through a fresh toolbox session, so stdout and stderr come back apart: create the session,
 * start the command, poll until it has an exit code, read the logs, delete the session. Sessions have no
 * server-side timeout, so the timeout is enforced here: past it the logs so far are read and the session is
 * deleted, which kills the command. While it runs, each poll streams the logs so far and hands the complete lines
 * not seen yet to the listener (when there is one); the logs are never held whole, so output of any size fits in
 * the request's output limit.
 */
final class SessionExec {

    private static final long FIRST_POLL_MS = 2;
    private static final long MAX_POLL_MS = 200;

    private SessionExec() {
    }

    static ExecResult run(DaytonaToolbox toolbox, ExecRequest request, String directory, Map<String, String> env) {
        String session = "magpie-" + UUID.randomUUID();
        String stdinFile = null;
        if (request.hasStdin()) {
            // Streamed to a file beside the command, which the command line opens as stdin and unlinks at once.
            stdinFile = (directory.endsWith("/") ? directory : directory + "/") + ".magpie-stdin-" + session;
            toolbox.uploadStdin(stdinFile, request);
        }
        String line = ShellCommand.build(request, directory, env, stdinFile);
        long start = System.nanoTime();
        long deadline = request.timeout().map(t -> start + t.toNanos()).orElse(Long.MAX_VALUE);
        RuntimeException failure = null;
        try {
            toolbox.createSession(session);
            String commandId = toolbox.startCommand(session, line);
            Feed feed = new Feed(request);
            Optional<Integer> exit = Optional.empty();
            long pause = FIRST_POLL_MS;
            while (true) {
                exit = toolbox.command(session, commandId).exitCode();
                if (exit.isPresent() || System.nanoTime() >= deadline) {
                    break;
                }
                if (request.listener() != OutputListener.NONE) {
                    feed.read(toolbox, session, commandId, false);
                }
                long left = (deadline - System.nanoTime()) / 1_000_000;
                Http.sleep(Duration.ofMillis(Math.max(1, Math.min(pause, left))));
                pause = Math.min(MAX_POLL_MS, pause * 2);
            }
            feed.read(toolbox, session, commandId, true);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            boolean timedOut = exit.isEmpty();
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
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            try {
                Http.uninterrupted(() -> toolbox.deleteSession(session));
            } catch (RuntimeException cleanup) {
                if (failure == null) {
                    throw cleanup;
                }
                failure.addSuppressed(cleanup);
            }
        }
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
        private final Channel out;
        private final Channel err;

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
                stdout.close();
                stderr.close();
            }
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
