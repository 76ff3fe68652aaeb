package dev.magpie.sandbox.local;

import dev.magpie.sandbox.WorkspaceException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The temporary directories of local workspaces, under one root. Each name carries the owning JVM's pid and start
 * time ({@code magpie-<pid>-<startMillis>-<purpose>-<random>}), so that a later run can tell the leftovers of a
 * killed JVM (pid gone, or reused by a process that started at another time) from those of a JVM still alive.
 * The first directory created sweeps the leftovers; a live JVM's directories are never touched.
 */
final class TempDirs {

    private static final System.Logger LOG = System.getLogger(TempDirs.class.getName());
    private static final Pattern NAME = Pattern.compile("magpie-(\\d+)-(\\d+)-.*");
    /** Start times are derived from clock ticks; allow for rounding between JVM versions. */
    private static final long START_TOLERANCE_MILLIS = 1000;

    private final Path root;
    private final String prefix;
    private final AtomicBoolean swept = new AtomicBoolean();

    TempDirs(Path root) {
        this.root = root;
        ProcessHandle self = ProcessHandle.current();
        this.prefix = "magpie-" + self.pid() + "-" + startMillis(self).orElse(0L) + "-";
    }

    Path root() {
        return root;
    }

    /** A new empty directory, named for this JVM; sweeps stale directories on first use. */
    Path create(String purpose) {
        try {
            Files.createDirectories(root);
            if (swept.compareAndSet(false, true)) {
                sweepStale();
            }
            return Files.createTempDirectory(root, prefix + purpose + "-").toRealPath();
        } catch (IOException e) {
            throw new WorkspaceException("Could not create a temporary directory under " + root + ": " + e
                    + ". Check that it is writable, or set magpie.local.temp-root to another directory.", e);
        }
    }

    /** Deletes the directories whose owning JVM is gone; returns those deleted. */
    List<Path> sweepStale() {
        List<Path> deleted = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return deleted;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, "magpie-*")) {
            for (Path entry : entries) {
                Matcher name = NAME.matcher(entry.getFileName().toString());
                if (name.matches() && !ownerAlive(Long.parseLong(name.group(1)), Long.parseLong(name.group(2)))) {
                    try {
                        TreeDeleter.delete(entry);
                        deleted.add(entry);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "Could not remove stale sandbox directory " + entry + ": "
                                + e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Could not look for stale sandbox directories in " + root + ": " + e);
        }
        return deleted;
    }

    /** Whether the JVM that named a directory still runs: same pid, same start time (within rounding). */
    static boolean ownerAlive(long pid, long startMillis) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        if (startMillis == 0) {
            return true; // the owner could not read its own start time: a live pid must be taken as the owner
        }
        // An unknown start time cannot prove the pid was reused: keep the directory.
        return startMillis(handle.get()).map(start -> Math.abs(start - startMillis) <= START_TOLERANCE_MILLIS)
                .orElse(true);
    }

    static Optional<Long> startMillis(ProcessHandle handle) {
        return handle.info().startInstant().map(Instant::toEpochMilli);
    }
}
