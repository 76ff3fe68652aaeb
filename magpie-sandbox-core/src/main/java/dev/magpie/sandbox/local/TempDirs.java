package dev.magpie.sandbox.local;

import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.JvmIdentity;
import dev.magpie.sandbox.internal.TreeDeleter;
import dev.magpie.sandbox.internal.ProcessTree;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    private final Path root;
    private final JvmIdentity self = JvmIdentity.current();
    private final String prefix;
    private final AtomicBoolean swept = new AtomicBoolean();

    TempDirs(Path root) {
        this.root = root;
        this.prefix = "magpie-" + self.pid() + "-" + self.startMillis() + "-";
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
                if (name.matches() && !owner(name).isAlive()) {
                    try {
                        // Where there are no cgroups, what still works in it is all that can be found of a
                        // killed JVM's processes.
                        ProcessTree.killWorkingIn(realPath(entry));
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

    private static Path realPath(Path entry) {
        try {
            return entry.toRealPath(); // as /proc shows working directories
        } catch (IOException e) {
            return entry.toAbsolutePath();
        }
    }

    /** The JVM that named a directory; the directory lies on this host, as the owner did. */
    private JvmIdentity owner(Matcher name) {
        return new JvmIdentity(self.host(), Long.parseLong(name.group(1)), Long.parseLong(name.group(2)));
    }
}
