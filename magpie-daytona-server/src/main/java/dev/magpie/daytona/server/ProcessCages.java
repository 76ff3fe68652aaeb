package dev.magpie.daytona.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps every process a sandbox starts in a cgroup of its own (cgroup v1, in the {@code pids} and {@code freezer}
 * hierarchies), so that deleting the sandbox kills them all whatever they did: a child that left the process
 * tree ({@code setsid}, a double fork), changed its environment or its directory stays in the cgroup. Killing
 * freezes the cgroup first, so nothing can fork while it is emptied.
 *
 * <p>The cgroups of one server sit under a parent named for its JVM ({@code magpie-daytona-<pid>-<start>-...}); a
 * server that starts empties and removes the parents of JVMs that are gone (killed before they could clean up).
 * Where the hierarchies are missing or not writable, {@link #available()} is false and callers fall back to
 * killing process trees.
 */
final class ProcessCages {

    private static final System.Logger LOG = System.getLogger(ProcessCages.class.getName());
    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");
    private static final List<String> HIERARCHIES = List.of("pids", "freezer");
    private static final Pattern PARENT = Pattern.compile(Pattern.quote(TempRoots.PREFIX) + "(\\d+)-(\\d+)-.*");
    private static final long EMPTY_WITHIN_NANOS = 10_000_000_000L;

    private final String parent;
    private final boolean available;

    private ProcessCages(String parent, boolean available) {
        this.parent = parent;
        this.available = available;
    }

    /** The cages of a new server; sweeps the parents of servers that are gone first. */
    static ProcessCages create() {
        ProcessHandle self = ProcessHandle.current();
        String name = TempRoots.PREFIX + self.pid() + "-" + TempRoots.startMillis(self).orElse(0L) + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        try {
            for (String hierarchy : HIERARCHIES) {
                sweep(CGROUPS.resolve(hierarchy));
                Files.createDirectory(CGROUPS.resolve(hierarchy).resolve(name));
            }
            return new ProcessCages(name, true);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.INFO, "No writable cgroup v1 pids and freezer hierarchies under " + CGROUPS + " (" + e
                    + "): a sandbox's processes that leave its process tree survive its deletion.");
            for (String hierarchy : HIERARCHIES) {
                removeQuietly(CGROUPS.resolve(hierarchy).resolve(name));
            }
            return new ProcessCages(name, false);
        }
    }

    boolean available() {
        return available;
    }

    /** Makes the cage of a sandbox. */
    void open(String sandboxId) throws IOException {
        for (String hierarchy : HIERARCHIES) {
            Files.createDirectories(cage(hierarchy, sandboxId));
        }
    }

    /**
     * The command line that runs {@code command} with {@code sh -c} inside the sandbox's cage: the shell joins
     * the cgroups before it runs anything, so every process it starts is born inside.
     */
    List<String> caged(String sandboxId, String command) {
        return List.of("sh", "-c", joinScript(sandboxId) + "exec sh -c \"$1\"", "sh", command);
    }

    /** Shell commands, each followed by {@code &&}, that move the shell into the sandbox's cage. */
    String joinScript(String sandboxId) {
        StringBuilder join = new StringBuilder();
        for (String hierarchy : HIERARCHIES) {
            join.append("echo $$ > '").append(cage(hierarchy, sandboxId).resolve("cgroup.procs")).append("' && ");
        }
        return join.toString();
    }

    /** Kills every process in the sandbox's cage and removes it. */
    void close(String sandboxId) {
        Path freezer = cage("freezer", sandboxId);
        Path pids = cage("pids", sandboxId);
        if (!Files.isDirectory(pids)) {
            return;
        }
        empty(freezer, pids);
        removeWhenReaped(pids);
        removeQuietly(freezer);
    }

    /**
     * Removes an emptied cgroup. Killed processes leave its member list before the kernel releases them (a zombie
     * still holds it until reaped), so the removal is retried for a while.
     */
    private static void removeWhenReaped(Path cgroup) {
        long deadline = System.nanoTime() + EMPTY_WITHIN_NANOS;
        while (true) {
            try {
                Files.deleteIfExists(cgroup);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    LOG.log(Level.WARNING, "Could not remove cgroup " + cgroup + ": " + e);
                    return;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }
    }

    /** Empties and removes every cage of this server, then its parent. */
    void closeAll() {
        if (!available) {
            return;
        }
        Path pidsParent = CGROUPS.resolve("pids").resolve(parent);
        try (DirectoryStream<Path> cages = Files.newDirectoryStream(pidsParent, Files::isDirectory)) {
            for (Path cage : cages) {
                close(cage.getFileName().toString());
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Could not list the sandbox cgroups under " + pidsParent + ": " + e);
        }
        for (String hierarchy : HIERARCHIES) {
            removeQuietly(CGROUPS.resolve(hierarchy).resolve(parent));
        }
    }

    private Path cage(String hierarchy, String sandboxId) {
        return CGROUPS.resolve(hierarchy).resolve(parent).resolve(sandboxId);
    }

    /** Freezes the cage so nothing forks, kills what is in it, thaws it so the kills land, waits until empty. */
    private static void empty(Path freezer, Path pids) {
        long deadline = System.nanoTime() + EMPTY_WITHIN_NANOS;
        List<Long> left = members(pids);
        while (!left.isEmpty()) {
            boolean frozen = freeze(freezer, "FROZEN", deadline);
            for (long pid : members(pids)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            if (frozen) {
                freeze(freezer, "THAWED", deadline);
            }
            left = members(pids);
            if (!left.isEmpty() && System.nanoTime() > deadline) {
                LOG.log(Level.WARNING, "Processes " + left + " of cgroup " + pids + " survived SIGKILL for 10 s.");
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    /** Moves the freezer to the state and waits for it (FREEZING turns FROZEN once every task stopped). */
    private static boolean freeze(Path freezer, String state, long deadline) {
        Path file = freezer.resolve("freezer.state");
        try {
            Files.writeString(file, state);
            while (!Files.readString(file).trim().equals(state)) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.onSpinWait();
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<Long> members(Path cgroup) {
        List<Long> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(cgroup.resolve("cgroup.procs"), StandardCharsets.US_ASCII)) {
                if (!line.isBlank()) {
                    out.add(Long.parseLong(line.trim()));
                }
            }
        } catch (IOException e) {
            // the cgroup is gone: nothing is left in it
        }
        return out;
    }

    /** Empties and removes the parents left by servers whose JVM is gone. */
    private static void sweep(Path hierarchy) throws IOException {
        try (DirectoryStream<Path> parents = Files.newDirectoryStream(hierarchy, TempRoots.PREFIX + "*")) {
            for (Path stale : parents) {
                Matcher name = PARENT.matcher(stale.getFileName().toString());
                if (name.matches() && !TempRoots.isAlive(Long.parseLong(name.group(1)),
                        Long.parseLong(name.group(2)))) {
                    new ProcessCages(stale.getFileName().toString(), true).closeAll();
                }
            }
        }
    }

    private static void removeQuietly(Path cgroup) {
        try {
            Files.deleteIfExists(cgroup);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Could not remove cgroup " + cgroup + ": " + e);
        }
    }

    @Override
    public String toString() {
        return "ProcessCages{" + parent + (available ? "" : ", unavailable") + "}";
    }
}
