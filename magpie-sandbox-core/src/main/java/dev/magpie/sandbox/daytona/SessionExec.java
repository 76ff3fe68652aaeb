package dev.magpie.sandbox.daytona;

import dev.magpie.sandbox.CommandStartException;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.OutputListener;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.OutputCollector;
import dev.magpie.sandbox.internal.ShellWords;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs one command through a fresh toolbox session, so stdout and stderr come back apart: create the session,
 * start the command, poll until it has an exit code, read the logs, delete the session. Sessions have no
 * server-side timeout, so the timeout is enforced here: past it the logs so far are read and the session is
 * deleted, which kills the command. Output reaches the listener when the command has finished.
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
                    feed.lines(toolbox.logs(session, commandId));
                }
                long left = (deadline - System.nanoTime()) / 1_000_000;
                Http.sleep(Duration.ofMillis(Math.max(1, Math.min(pause, left))));
                pause = Math.min(MAX_POLL_MS, pause * 2);
            }
            DaytonaToolbox.Logs logs = toolbox.logs(session, commandId);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            boolean timedOut = exit.isEmpty();
            int code = timedOut ? ExecResult.KILLED : exit.get() > 128 ? ExecResult.KILLED : exit.get();
            if (!timedOut && code == 127 && notFound(logs.stderr(), request.command().get(0))) {
                throw new CommandStartException(request.command().get(0), "not found in sandbox "
                        + toolbox.sandboxId(), null);
            }
            feed.rest(logs);
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
     * The output as it arrives: while the command runs, the complete lines of each poll reach the listener (a
     * prefix ending in a newline never changes, and never splits a UTF-8 character); the rest comes at the end.
     * The collectors keep the head and tail within the request's limit.
     */
    private static final class Feed {
        final OutputCollector stdout;
        final OutputCollector stderr;
        private int stdoutAt;
        private int stderrAt;

        Feed(ExecRequest request) {
            stdout = new OutputCollector(request.outputLimit(), OutputListener.Channel.STDOUT, request.listener());
            stderr = new OutputCollector(request.outputLimit(), OutputListener.Channel.STDERR, request.listener());
        }

        void lines(DaytonaToolbox.Logs logs) {
            stdoutAt = take(stdout, logs.stdout(), stdoutAt, logs.stdout().lastIndexOf('\n') + 1);
            stderrAt = take(stderr, logs.stderr(), stderrAt, logs.stderr().lastIndexOf('\n') + 1);
        }

        void rest(DaytonaToolbox.Logs logs) {
            stdoutAt = take(stdout, logs.stdout(), stdoutAt, logs.stdout().length());
            stderrAt = take(stderr, logs.stderr(), stderrAt, logs.stderr().length());
            stdout.close();
            stderr.close();
        }

        private static int take(OutputCollector collector, String text, int from, int to) {
            if (to > from) {
                byte[] bytes = text.substring(from, to).getBytes(StandardCharsets.UTF_8);
                collector.append(bytes, 0, bytes.length);
                return to;
            }
            return from;
        }
    }
}
