package dev.magpie.sandbox.local;

import dev.magpie.sandbox.internal.Cgroup;
import dev.magpie.sandbox.internal.Cgroups;
import dev.magpie.sandbox.internal.JvmIdentity;
import dev.magpie.sandbox.internal.ProcessRunner;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A cgroup v1 {@code pids} group bounding how many processes one isolated workspace's commands have at once, so that
 * a fork bomb fails its own command and leaves the machine alone: a fork past the limit fails with EAGAIN. (A
 * per-user {@code RLIMIT_NPROC} would count every process of the user, and does not bind root at all.)
 *
 * <p>The sandboxes' launchers are started by a thread of this JVM that lives in the group (a fork inherits the
 * thread's group, and a thread that stays there spares the cgroup moves of each start, which cost milliseconds on
 * v1), so the group also holds every process of the workspace: destroy kills them from its list, without looking
 * through {@code /proc}. Where the hierarchy is missing or not writable (cgroup v2 only, no permission) there
 * is no group and the count is not bounded; {@link #group()} is then empty.
 */
final class ProcessCountGroup {

    /** The {@code pids} hierarchy's usual mount point. */
    static final Path PIDS = Path.of("/sys/fs/cgroup/pids");

    private final Cgroup group;
    private final ExecutorService starter;

    private ProcessCountGroup(Cgroup group, ExecutorService starter) {
        this.group = group;
        this.starter = starter;
    }

    /**
     * A group of at most {@code limit} processes for {@code owner}, or none where the machine does not allow it. The
     * groups of a JVM live in one group named for it, so that a later JVM removes those a killed one left.
     */
    static ProcessCountGroup create(String owner, long limit) {
        if (Stale.SWEPT == null) {
            return new ProcessCountGroup(null, null);
        }
        Path directory = Stale.SWEPT.resolve(owner);
        ExecutorService starter = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "magpie-sandbox-starter-" + owner);
            thread.setDaemon(true);
            return thread;
        });
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("pids.max"), Long.toString(limit));
            Cgroup group = Cgroups.of(PIDS, directory, "pids");
            call(starter, () -> {
                group.moveCallingThread(true);
                return null;
            });
            return new ProcessCountGroup(group, starter);
        } catch (IOException | UnsupportedOperationException e) {
            starter.shutdown();
            Cgroup.removeTree(directory);
            return new ProcessCountGroup(null, null);
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

    /** What starts the workspace's launchers in the group; empty where the machine has none. */
    Optional<ProcessRunner.Starter> starter() {
        return group == null ? Optional.empty() : Optional.of(builder -> call(starter, builder::start));
    }

    /** Whether the group exists, and holds every process of the workspace. */
    boolean exists() {
        return group != null;
    }

    /** Kills every process of the group and removes it. */
    void remove() {
        if (group == null) {
            return;
        }
        try {
            call(starter, () -> {
                group.moveCallingThread(false);
                return null;
            });
        } catch (IOException e) {
            // The thread ends below, and leaves the group with it.
        }
        starter.shutdown();
        group.remove();
    }

    /**
     * Runs {@code task} on the starter thread and waits for it, even when interrupted: a process it starts must be
     * handed back to be waited for and killed.
     */
    private static <T> T call(ExecutorService starter, Callable<T> task) throws IOException {
        Future<T> result = starter.submit(task);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return result.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
