package dev.magpie.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The commands a workspace ran, in order, each with its exit code, duration and the tail of its output. Read-only:
 * the workspace records every command itself, with credentials in arguments, environment values and output
 * already redacted. Thread-safe.
 */
public interface Transcript {

    /** Lines of each stream kept per entry. */
    int TAIL_LINES = 20;

    /** One command as recorded. Every text field is already redacted. */
    record Entry(String commandLine, Map<String, String> env, int exitCode, Duration duration,
                 boolean timedOut, String stdoutTail, String stderrTail) {
    }

    /** The entries so far, oldest first; a copy. */
    List<Entry> entries();

    /** Whether nothing has been recorded. */
    boolean isEmpty();

    /** A readable rendering: one block per command. */
    String render();

    /** The text with credential shapes and this workspace's secrets masked, as the entries are. */
    String redact(String text);
}
