package dev.magpie.sandbox.daytona;

import dev.magpie.sandbox.CommandStartException;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.OutputListener;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.OutputCollector;
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
        String line = ShellCommand.build(request, directory, env);
        String session = "magpie-" + UUID.randomUUID();
        long start = System.nanoTime();
        long deadline = request.timeout().map(t -> start + t.toNanos()).orElse(Long.MAX_VALUE);
        RuntimeException failure = null;
        try {
            toolbox.createSession(session);
            String commandId = toolbox.startCommand(session, line);
            Optional<Integer> exit = Optional.empty();
            long pause = FIRST_POLL_MS;
            while (true) {
                exit = toolbox.command(session, commandId).exitCode();
                if (exit.isPresent() || System.nanoTime() >= deadline) {
                    break;
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
            OutputCollector stdout = collect(request, OutputListener.Channel.STDOUT, logs.stdout());
            OutputCollector stderr = collect(request, OutputListener.Channel.STDERR, logs.stderr());
            return new ExecResult(request.command(), code, stdout.text(), stderr.text(), took, timedOut,
                    stdout.truncated() || stderr.truncated());
        } catch (Http.LostReply e) {
            failure = new WorkspaceException("Lost the connection to the toolbox of sandbox " + toolbox.sandboxId()
                    + " while running " + ShellCommand.words(request.command()) + ": " + e.getMessage(), e);
            throw failure;
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            try {
                toolbox.deleteSession(session);
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

    /** Keeps the head and tail within the request's limit and hands the lines to its listener. */
    private static OutputCollector collect(ExecRequest request, OutputListener.Channel channel, String text) {
        OutputCollector collector = new OutputCollector(request.outputLimit(), channel, request.listener());
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        collector.append(bytes, 0, bytes.length);
        collector.close();
        return collector;
    }
}
