package dev.magpie.sandbox.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Kills every process a command started. Each command runs with a marker variable in its environment, which every
 * descendant inherits; a process that daemonized (re-parented to init, new session) still carries it. So the
 * processes to kill are the descendants of the command (for those that cleared their environment) plus every
 * process whose initial environment ({@code /proc/PID/environ}) holds the marker. Killing is SIGKILL: a process
 * that traps or ignores SIGTERM dies too. Rounds repeat until no marked process is left, so children forked
 * during the kill are caught.
 *
 * <p>One pass over {@code /proc} finds both sets in time linear in the number of processes; the JDK's
 * {@code ProcessHandle.descendants()} is quadratic, which a command forking in a loop turns into minutes.
 */
public final class ProcessTree {

    private static final Path PROC = Path.of("/proc");
    private static final int MAX_ROUNDS = 50;

    private ProcessTree() {
    }

    /** Kills the process, its descendants and every process carrying {@code marker} ({@code NAME=value}). */
    public static void kill(ProcessHandle root, String marker) {
        // The snapshot comes first: once the root dies its children are re-parented and no longer descendants.
        Map<Long, List<Long>> children = new HashMap<>();
        Set<Long> targets = new LinkedHashSet<>(scan(marker, children));
        Deque<Long> queue = new ArrayDeque<>(List.of(root.pid()));
        while (!queue.isEmpty()) {
            for (long child : children.getOrDefault(queue.poll(), List.of())) {
                if (targets.add(child)) {
                    queue.add(child);
                }
            }
        }
        root.destroyForcibly();
        targets.forEach(ProcessTree::destroy);
        killMarked(marker);
    }

    /** Kills every process carrying {@code marker}, repeating until none is left or the rounds run out. */
    public static void killMarked(String marker) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<Long> found = scan(marker, null);
            if (found.isEmpty()) {
                return;
            }
            found.forEach(ProcessTree::destroy);
            try {
                Thread.sleep(Math.min(1 + round, 10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Sends SIGTERM once to every process carrying {@code marker}, asking them to end. */
    public static void terminateMarked(String marker) {
        scan(marker, null).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
    }

    /**
     * Kills every process whose working directory is {@code directory} or inside it, repeating until none is
     * left or the rounds run out. This finds a process that cleared its environment and left its parent, as long
     * as it stayed in the directory; one that also changed directory cannot be told from any other.
     */
    public static void killWorkingIn(Path directory) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<Long> found = workingIn(directory);
            if (found.isEmpty()) {
                return;
            }
            found.forEach(ProcessTree::destroy);
            try {
                Thread.sleep(Math.min(1 + round, 10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static List<Long> workingIn(Path directory) {
        List<Long> found = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                try {
                    long pid = Long.parseLong(entry.getFileName().toString());
                    if (pid != self && Files.readSymbolicLink(entry.resolve("cwd")).startsWith(directory)) {
                        found.add(pid);
                    }
                } catch (IOException | RuntimeException e) {
                    // gone, or not ours to read
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: nothing can be found this way
        }
        return found;
    }

    /**
     * Kills every process whose initial environment has variable {@code name} with a value that {@code doomed}
     * accepts; returns how many. One pass: for leftovers whose starter is gone, nothing forks them any more.
     */
    public static int killWhere(String name, Predicate<String> doomed) {
        byte[] prefix = (name + "=").getBytes(StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        int killed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                try {
                    long pid = Long.parseLong(entry.getFileName().toString());
                    String value = pid == self ? null : value(Files.readAllBytes(entry.resolve("environ")), prefix);
                    if (value != null && doomed.test(value)) {
                        destroy(pid);
                        killed++;
                    }
                } catch (IOException | RuntimeException e) {
                    // gone, or not ours to read
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: nothing can be found this way
        }
        return killed;
    }

    /** The value of the variable starting with {@code prefix} ({@code NAME=}) in a NUL-separated environment. */
    private static String value(byte[] environ, byte[] prefix) {
        int start = 0;
        while (start < environ.length) {
            int end = start;
            while (end < environ.length && environ[end] != 0) {
                end++;
            }
            if (end - start >= prefix.length
                    && Arrays.equals(environ, start, start + prefix.length, prefix, 0, prefix.length)) {
                return new String(environ, start + prefix.length, end - start - prefix.length, StandardCharsets.UTF_8);
            }
            start = end + 1;
        }
        return null;
    }

    /** The live processes whose initial environment holds {@code marker}; empty where there is no /proc. */
    public static List<ProcessHandle> marked(String marker) {
        List<ProcessHandle> found = new ArrayList<>();
        for (long pid : scan(marker, null)) {
            ProcessHandle.of(pid).ifPresent(found::add);
        }
        return found;
    }

    /** The pids carrying the marker; fills {@code children} (parent pid to child pids) when it is given. */
    private static List<Long> scan(String marker, Map<Long, List<Long>> children) {
        List<Long> found = new ArrayList<>();
        if (!Files.isDirectory(PROC)) {
            return found;
        }
        byte[] needle = (marker + "\0").getBytes(StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                long pid = Long.parseLong(name);
                if (pid == self) {
                    continue;
                }
                if (holds(entry.resolve("environ"), needle)) {
                    found.add(pid);
                }
                if (children != null) {
                    long parent = parent(entry.resolve("stat"));
                    if (parent > 0) {
                        children.computeIfAbsent(parent, p -> new ArrayList<>()).add(pid);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // /proc unreadable: what was found so far is all that can be killed.
        }
        return found;
    }

    private static void destroy(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** The parent pid from {@code /proc/PID/stat} ({@code pid (comm) state ppid ...}); 0 when unknown. */
    private static long parent(Path stat) {
        try {
            String text = new String(Files.readAllBytes(stat), StandardCharsets.US_ASCII);
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ", 3);
            return Long.parseLong(fields[1]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static boolean holds(Path environ, byte[] needle) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(environ);
        } catch (IOException e) {
            return false; // gone, or not ours to read
        }
        // Variables are NUL-separated: match at the start or right after a NUL.
        outer:
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            if (i > 0 && bytes[i - 1] != 0) {
                continue;
            }
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
