package dev.magpie.daytona.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The temporary roots of servers that were not given one: {@code magpie-daytona-<pid>-<startMillis>-<random>}
 * under a parent directory, named for the JVM that made it. Closing a server deletes its root; a JVM that was
 * killed could not, so each new root first sweeps the roots of JVMs that are gone (the pid is dead, or reused by a
 * process that started at another time). A live JVM's root is never touched.
 */
final class TempRoots {

    static final String PREFIX = "magpie-daytona-";

    private static final System.Logger LOG = System.getLogger(TempRoots.class.getName());
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-(\\d+)-.*");
    /** Start times come from the kernel in clock ticks; allow for rounding between two readings. */
    private static final long START_TOLERANCE_MILLIS = 1_000;

    private TempRoots() {
    }

    /** Sweeps the parent, then creates a new root in it named for this JVM. */
    static Path create(Path parent) throws IOException {
        sweep(parent);
        ProcessHandle self = ProcessHandle.current();
        return Files.createTempDirectory(parent, PREFIX + self.pid() + "-" + startMillis(self).orElse(0L) + "-");
    }

    /** Deletes the roots in the parent whose JVM is gone; returns those deleted. */
    static List<Path> sweep(Path parent) {
        List<Path> deleted = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path entry : entries) {
                Matcher name = NAME.matcher(entry.getFileName().toString());
                if (name.matches() && Files.isDirectory(entry)
                        && !isAlive(Long.parseLong(name.group(1)), Long.parseLong(name.group(2)))) {
                    try {
                        Sandboxes.deleteTree(entry);
                        deleted.add(entry);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "Could not remove the stale Daytona server root " + entry + ": " + e);
                    }
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Could not look for stale Daytona server roots in " + parent + ": " + e);
        }
        return deleted;
    }

    /**
     * Whether the JVM with this pid and start time still runs. An unknown start time (0, or unreadable now)
     * cannot prove the pid was reused, so a live pid then counts as the owner.
     */
    static boolean isAlive(long pid, long startMillis) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        return startMillis == 0 || startMillis(handle.get())
                .map(start -> Math.abs(start - startMillis) <= START_TOLERANCE_MILLIS).orElse(true);
    }

    static Optional<Long> startMillis(ProcessHandle handle) {
        return handle.info().startInstant().map(Instant::toEpochMilli);
    }
}
