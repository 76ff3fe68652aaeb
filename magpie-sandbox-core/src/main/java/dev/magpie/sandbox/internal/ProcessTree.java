package dev.magpie.sandbox.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Kills every process a command started. Each command runs with a marker variable in its environment, which every
 * descendant inherits; a process that daemonized (re-parented to init, new session) still carries it. So the
 * processes to kill are the live descendants of the command, plus every process whose initial environment (read
 * from {@code /proc/PID/environ}) holds the marker. Killing is SIGKILL: a process that traps or ignores SIGTERM
 * dies too. Rounds repeat until no marked process is left, so children forked during the kill are caught.
 */
public final class ProcessTree {

    private static final Path PROC = Path.of("/proc");
    private static final int MAX_ROUNDS = 50;

    private ProcessTree() {
    }

    /** Kills the process, its descendants and every process carrying {@code marker} ({@code NAME=value}). */
    public static void kill(ProcessHandle root, String marker) {
        // The snapshot comes first: once the root dies its children are re-parented and no longer descendants.
        Set<ProcessHandle> targets = new LinkedHashSet<>();
        root.descendants().forEach(targets::add);
        targets.addAll(marked(marker));
        root.destroyForcibly();
        targets.forEach(ProcessHandle::destroyForcibly);
        killMarked(marker);
    }

    /** Kills every process carrying {@code marker}, repeating until none is left or the rounds run out. */
    public static void killMarked(String marker) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<ProcessHandle> found = marked(marker);
            if (found.isEmpty()) {
                return;
            }
            for (ProcessHandle handle : found) {
                handle.descendants().forEach(ProcessHandle::destroyForcibly);
                handle.destroyForcibly();
            }
            try {
                Thread.sleep(Math.min(1 + round, 10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The live processes whose initial environment holds {@code marker}; empty where there is no /proc. */
    public static List<ProcessHandle> marked(String marker) {
        List<ProcessHandle> found = new ArrayList<>();
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
                if (pid != self && holds(entry.resolve("environ"), needle)) {
                    ProcessHandle.of(pid).ifPresent(found::add);
                }
            }
        } catch (IOException | RuntimeException e) {
            // /proc unreadable: only descendants can be found.
        }
        return found;
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
