package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.OutputListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The last lines of a background command, both streams in order of arrival, and the patterns waited for: a pattern
 * is met by any later line, or by one of the lines still kept when it is first asked about.
 */
final class RecentLines implements OutputListener {

    static final int KEPT = 200;
    private static final int SHOWN = 30;
    /** Characters kept of one line: a command that writes megabytes without a newline keeps messages readable. */
    static final int LINE_CHARS = 2000;

    private final Deque<String> lines = new ArrayDeque<>();
    private final List<Pattern> seen = new ArrayList<>();
    private final List<Pattern> waited = new ArrayList<>();

    @Override
    public synchronized void onLine(Channel channel, String line) {
        if (lines.size() == KEPT) {
            lines.removeFirst();
        }
        String kept = line.length() <= LINE_CHARS ? line
                : line.substring(0, LINE_CHARS) + "... (" + (line.length() - LINE_CHARS) + " more characters)";
        lines.addLast(channel == Channel.STDERR ? "[stderr] " + kept : kept);
        for (Pattern pattern : waited) {
            if (!seen.contains(pattern) && pattern.matcher(line).find()) {
                seen.add(pattern);
            }
        }
        notifyAll();
    }

    /** Whether a line matching {@code pattern} came, counting the lines still kept the first time it is asked. */
    synchronized boolean matched(Pattern pattern) {
        if (!waited.contains(pattern)) {
            waited.add(pattern);
            for (String line : lines) {
                if (pattern.matcher(line.startsWith("[stderr] ") ? line.substring(9) : line).find()) {
                    seen.add(pattern);
                    break;
                }
            }
        }
        return seen.contains(pattern);
    }

    /** Waits up to {@code millis} for a new line. */
    synchronized void awaitLine(long millis) throws InterruptedException {
        if (millis > 0) {
            wait(millis);
        }
    }

    /** The last lines, for messages; a placeholder when there are none. */
    synchronized String tail() {
        if (lines.isEmpty()) {
            return "(no output)";
        }
        List<String> all = new ArrayList<>(lines);
        return String.join("\n", all.subList(Math.max(0, all.size() - SHOWN), all.size()));
    }
}
