package dev.magpie.sandbox;

/**
 * Receives a command's output line by line while it runs. Called from reader threads: implementations must be
 * thread-safe and quick. Lines come without their terminator.
 */
@FunctionalInterface
public interface OutputListener {

    /** A listener that ignores everything. */
    OutputListener NONE = (channel, line) -> { };

    void onLine(Channel channel, String line);

    /** Which stream a line came from. */
    enum Channel { STDOUT, STDERR }
}
