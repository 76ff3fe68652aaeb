package dev.magpie.sandbox.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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

    /** A group of at most {@code limit} processes for {@code owner}, or none where the machine does not allow it. */
    static ProcessCountGroup create(String owner, long limit) {
        Path group = PIDS.resolve("magpie").resolve(owner);
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
