package dev.magpie.sandbox.local;

import dev.magpie.sandbox.internal.Cgroup;
import dev.magpie.sandbox.internal.Cgroups;
import dev.magpie.sandbox.internal.JvmIdentity;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A cgroup v1 {@code pids} group bounding how many processes one isolated workspace's commands have at once, so that
 * a fork bomb fails its own command and leaves the machine alone: a fork past the limit fails with EAGAIN. (A
 * per-user {@code RLIMIT_NPROC} would count every process of the user, and does not bind root at all.)
 *
 * <p>Where the hierarchy is missing or not writable (cgroup v2 only, no permission) there is no group and the
 * count is not bounded; {@link #procs()} is then {@code /dev/null}.
 */
final class ProcessCountGroup {

    /** The {@code pids} hierarchy's usual mount point. */
    static final Path PIDS = Path.of("/sys/fs/cgroup/pids");

    private static final Path NONE = Path.of("/dev/null");

    private final Path directory;

    private ProcessCountGroup(Path directory) {
        this.directory = directory;
    }

    /**
     * A group of at most {@code limit} processes for {@code owner}, or none where the machine does not allow it. The
     * groups of a JVM live in one group named for it, so that a later JVM removes those a killed one left.
     */
    static ProcessCountGroup create(String owner, long limit) {
        if (Stale.SWEPT == null) {
            return new ProcessCountGroup(null);
        }
        Path group = Stale.SWEPT.resolve(owner);
        try {
            Files.createDirectories(group);
            Files.writeString(group.resolve("pids.max"), Long.toString(limit));
            return new ProcessCountGroup(group);
        } catch (IOException | UnsupportedOperationException e) {
            try {
                Files.deleteIfExists(group);
            } catch (IOException ignored) {
                // Never made.
            }
            return new ProcessCountGroup(null);
        }
    }

    /** Removes the groups of this host's JVMs that have ended; returns those removed. */
    static List<Path> sweepStale(Path magpie, JvmIdentity self) {
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> jvms = Files.newDirectoryStream(magpie, Files::isDirectory)) {
            for (Path jvm : jvms) {
                if (Cgroups.isStale(jvm.getFileName().toString(), self)) {
                    Cgroup.removeTree(jvm);
                    if (Files.notExists(jvm)) {
                        removed.add(jvm);
                    }
                }
            }
        } catch (IOException e) {
            // No hierarchy here, or not readable: nothing of ours to remove.
        }
        return removed;
    }

    /**
     * This JVM's group under the hierarchy, after the groups of ended JVMs were removed: once per JVM. Null without a
     * cgroup v1 {@code pids} hierarchy (its {@code tasks} file is v1's own), so that nothing is made elsewhere.
     */
    private static final class Stale {
        static final Path SWEPT = sweptJvmGroup();

        private static Path sweptJvmGroup() {
            if (!Files.isRegularFile(PIDS.resolve("tasks"))) {
                return null;
            }
            Path magpie = PIDS.resolve("magpie");
            sweepStale(magpie, JvmIdentity.current());
            return magpie.resolve(Cgroups.nameOf(JvmIdentity.current()));
        }
    }

    /** The file a process writes its pid to, to join the group. */
    Path procs() {
        return directory == null ? NONE : directory.resolve("cgroup.procs");
    }

    /** Removes the group once its processes are gone; a group still busy stays (empty groups cost nothing). */
    void remove() {
        if (directory != null) {
            try {
                Files.deleteIfExists(directory); // rmdir: a cgroup's files are not files to delete
            } catch (IOException e) {
                // A process not yet reaped: the group stays, harmless and empty soon.
            }
        }
    }
}
