package dev.magpie.sandbox;

import dev.magpie.sandbox.internal.ShellWords;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of a command. A non-zero exit is data, not an error; a process killed by a signal (and a timed-out
 * one) reports exit code {@value #KILLED}. When a stream exceeded the request's output limit, its head and tail
 * are kept around a marker and {@link #truncated()} is true.
 */
public record ExecResult(
        List<String> command,
        int exitCode,
        String stdout,
        String stderr,
        Duration duration,
        boolean timedOut,
        boolean truncated) {

    /** The exit code reported for a process killed by a signal. */
    public static final int KILLED = -1;

    public ExecResult {
        command = List.copyOf(command);
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(duration, "duration");
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
