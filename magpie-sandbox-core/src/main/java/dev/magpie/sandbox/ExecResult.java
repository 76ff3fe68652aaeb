package dev.magpie.sandbox;

import dev.magpie.sandbox.internal.Redactor;
import dev.magpie.sandbox.internal.ShellWords;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The outcome of a command. A non-zero exit is data, not an error; a process killed by a signal (and a timed-out
 * one) reports exit code {@value #KILLED}. When a stream exceeded the request's output limit, its head and tail
 * are kept around a marker and {@link #truncated()} is true.
 *
 * <p>The accessors give the output as the command wrote it. Text meant for people ({@link #toString()}, assertion
 * messages) goes through {@link #redact(String)}, which masks what the workspace's transcript masks: credential
 * shapes and the workspace's own secret values. Two results are equal when their data are.
 */
public final class ExecResult {

    /** The exit code reported for a process killed by a signal. */
    public static final int KILLED = -1;

    private final List<String> command;
    private final int exitCode;
    private final String stdout;
    private final String stderr;
    private final Duration duration;
    private final boolean timedOut;
    private final boolean truncated;
    private final UnaryOperator<String> redaction;

    public ExecResult(List<String> command, int exitCode, String stdout, String stderr, Duration duration,
                      boolean timedOut, boolean truncated) {
        this(command, exitCode, stdout, stderr, duration, timedOut, truncated, Redactor::redact);
    }

    private ExecResult(List<String> command, int exitCode, String stdout, String stderr, Duration duration,
                       boolean timedOut, boolean truncated, UnaryOperator<String> redaction) {
        this.command = List.copyOf(command);
        this.exitCode = exitCode;
        this.stdout = Objects.requireNonNull(stdout, "stdout");
        this.stderr = Objects.requireNonNull(stderr, "stderr");
        this.duration = Objects.requireNonNull(duration, "duration");
        this.timedOut = timedOut;
        this.truncated = truncated;
        this.redaction = redaction;
    }

    /**
     * This result, masking with {@code redaction} instead of the credential shapes alone: a workspace hands out
     * its results this way so that messages about them mask its secrets as its transcript does.
     */
    public ExecResult redactedBy(UnaryOperator<String> redaction) {
        Objects.requireNonNull(redaction, "redaction");
        return new ExecResult(command, exitCode, stdout, stderr, duration, timedOut, truncated, redaction);
    }

    /** The text with the credentials masked that this result's workspace masks; for messages about it. */
    public String redact(String text) {
        return redaction.apply(text);
    }

    /** The program followed by its arguments. */
    public List<String> command() {
        return command;
    }

    /** The exit status, or {@value #KILLED} for a signal death or a timeout. */
    public int exitCode() {
        return exitCode;
    }

    /** What the command wrote to stdout (head and tail when truncated), as it wrote it. */
    public String stdout() {
        return stdout;
    }

    /** What the command wrote to stderr (head and tail when truncated), as it wrote it. */
    public String stderr() {
        return stderr;
    }

    public Duration duration() {
        return duration;
    }

    /** Whether the command was killed because it exceeded its timeout. */
    public boolean timedOut() {
        return timedOut;
    }

    /** Whether a stream exceeded the output limit and lost its middle. */
    public boolean truncated() {
        return truncated;
    }

    /** True when the command exited with 0 and did not time out. */
    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }

    /** Stdout followed by stderr, as the combined view of the original API. */
    public String output() {
        return stdout + stderr;
    }

    /** The command as a shell would show it, for messages. */
    public String commandLine() {
        return ShellWords.join(command);
    }

    /** The last {@code lines} lines of stderr. */
    public String stderrTail(int lines) {
        return tail(stderr, lines);
    }

    /** The last {@code lines} lines of stdout. */
    public String stdoutTail(int lines) {
        return tail(stdout, lines);
    }

    /** Credentials masked as {@link #redact(String)} does. */
    @Override
    public String toString() {
        return redact("ExecResult[command=" + command + ", exitCode=" + exitCode + ", stdout=" + stdout + ", stderr="
                + stderr + ", duration=" + duration + ", timedOut=" + timedOut + ", truncated=" + truncated + "]");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExecResult that && exitCode == that.exitCode && timedOut == that.timedOut
                && truncated == that.truncated && command.equals(that.command) && stdout.equals(that.stdout)
                && stderr.equals(that.stderr) && duration.equals(that.duration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(command, exitCode, stdout, stderr, duration, timedOut, truncated);
    }

    static String tail(String text, int lines) {
        String trimmed = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        int at = trimmed.length();
        for (int i = 0; i < lines && at > 0; i++) {
            at = trimmed.lastIndexOf('\n', at - 1);
            if (at < 0) {
                return trimmed;
            }
        }
        return at <= 0 ? trimmed : trimmed.substring(at + 1);
    }
}
