package dev.magpie.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A command running in the background of a workspace, started by {@link Workspace#start(ExecRequest)}: a dev
 * server, a database, a long build. Its lines reach the request's {@link OutputListener} as they come, and its
 * output is kept within the request's output limit for the {@link ExecResult} it ends with; a timeout in the request
 * kills it as it would a command run in the foreground. Safe for use from several threads.
 *
 * <p>{@link #stop(Duration)} sends SIGTERM to the command's processes, then, after the grace period, kills every
 * process it started, however deep, and every process that still carries its marker variable (a daemon that left
 * the tree); destroying the workspace stops every background process it started the same way without a grace
 * period, and with the workspace goes a daemon that also cleared its environment.
 */
public interface BackgroundProcess {

    /** How long {@link #stop()} lets the command end on SIGTERM before killing its processes. */
    Duration DEFAULT_GRACE = Duration.ofSeconds(10);

    /** The program followed by its arguments. */
    List<String> command();

    /** Whether the command is still running. */
    boolean isRunning();

    /**
     * Waits until the command has ended, at most {@code timeout}.
     *
     * @return its result, or empty when it still runs after {@code timeout}
     * @throws WorkspaceException when the workspace could not run or watch it (the message says why)
     */
    Optional<ExecResult> waitFor(Duration timeout);

    /**
     * Waits until {@code check} passes, at most {@code timeout}.
     *
     * @return this process, for chaining
     * @throws ServiceNotReadyException when the deadline passed or the command ended first; the message carries its
     *                                  recent output
     */
    BackgroundProcess waitUntilReady(ReadyCheck check, Duration timeout);

    /** Stops the command with {@link #DEFAULT_GRACE}; see {@link #stop(Duration)}. */
    default ExecResult stop() {
        return stop(DEFAULT_GRACE);
    }

    /**
     * Sends SIGTERM to the command's processes and waits up to {@code grace} for it to end, then kills every process
     * it started, one it left behind too; a zero grace kills at once, with no SIGTERM. Returns its result (a command
     * ended by a signal reports {@link ExecResult#KILLED}); on a command that already ended, returns its result.
     *
     * @throws WorkspaceException when the command could not be stopped; the message says what may still run
     */
    ExecResult stop(Duration grace);

    /**
     * Sends bytes to the command's stdin as it runs.
     *
     * @throws WorkspaceException when the request gave stdin of its own, input was closed, the command ended, or
     *                            the provider cannot feed a running command (the message says which)
     */
    void writeInput(byte[] bytes);

    /** Sends text to the command's stdin, in UTF-8; see {@link #writeInput(byte[])}. */
    default void writeInput(String text) {
        writeInput(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Closes the command's stdin, so that it reads end of file; closing twice does nothing. */
    void closeInput();

    /** The last lines the command wrote (both streams, in order of arrival), redacted; for messages. */
    String recentOutput();
}
