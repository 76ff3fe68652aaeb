package dev.magpie.sandbox.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One cgroup v1 freezer group: every process started in it, and every process those start, stays in it whatever
 * it does to its environment, session or parentage. So killing the group kills them all: freeze it (nothing can
 * fork any more), send SIGKILL to every member, thaw it so the signals land, wait until it is empty.
 *
 * <p>A process is started in the group by moving the starting thread into it for the time of the fork: the child
 * inherits the thread's group before it runs a single instruction of its own. Starts share a lock that a kill
 * takes alone, so that a kill never freezes a thread of this JVM.
 */
public final class Cgroup {

    private static final int FREEZE_ROUNDS = 200;
    private static final long SELF = ProcessHandle.current().pid();

    private final Path directory;
    private final Path home;
    private final ReadWriteLock lock;

    /** A group with its own start/kill lock; {@code home} is the group this JVM's threads live in. */
    Cgroup(Path directory, Path home) {
        this(directory, home, new ReentrantReadWriteLock());
    }

    private Cgroup(Path directory, Path home, ReadWriteLock lock) {
        this.directory = directory;
        this.home = home;
        this.lock = lock;
    }

    /** A new group inside this one, sharing its lock; a kill of this one kills it too. */
    public Cgroup child(String name) throws IOException {
        Path child = directory.resolve(name);
        Files.createDirectory(child);
        return new Cgroup(child, home, lock);
    }

    /**
     * Starts the process inside this group. Where the thread cannot be moved the process starts outside it, and
     * only the callers' fallback through {@code /proc} can find it.
     *
     * @throws IOException when the process cannot be started
     */
    public Process start(ProcessBuilder builder) throws IOException {
        lock.readLock().lock();
        String thread = null;
        try {
            try {
                thread = threadId();
                Files.writeString(directory.resolve("tasks"), thread);
            } catch (IOException e) {
                thread = null;
            }
            return builder.start();
        } finally {
            if (thread != null) {
                write(home.resolve("tasks"), thread);
            }
            lock.readLock().unlock();
        }
    }

    /**
     * Moves the calling thread into this group ({@code true}) or back to this JVM's group ({@code false}): a thread
     * that stays in the group starts its processes there without a move per start.
     *
     * @throws IOException when the thread cannot be moved
     */
    public void moveCallingThread(boolean in) throws IOException {
        Files.writeString((in ? directory : home).resolve("tasks"), threadId());
    }

    /** Kills every process of this group and of the groups inside it; returns how many were signalled. */
    public int killAll() {
        lock.writeLock().lock();
        try {
            return killFrozen(directory);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Kills every process, then removes this group and those inside it. */
    public void remove() {
        killAll();
        removeTree(directory);
    }

    /** Whether no process is in this group itself (groups inside it are not looked at). */
    public boolean isEmpty() {
        return pids(directory).isEmpty();
    }

    /** Kills every process in {@code group} and below, whoever created it; the caller owns the group. */
    static int killFrozen(Path group) {
        boolean frozen = freeze(group);
        List<Long> pids = members(group);
        pids.forEach(Cgroup::kill);
        write(group.resolve("freezer.state"), "THAWED");
        // A frozen group cannot fork; without the freezer (or where it stuck) repeat until none is left.
        for (int round = 0; round < FREEZE_ROUNDS; round++) {
            List<Long> left = members(group);
            if (left.isEmpty()) {
                break;
            }
            if (!frozen) {
                left.forEach(Cgroup::kill);
            }
            pause(round);
        }
        return pids.size();
    }

    /** Removes the group and every group inside it, deepest first; members must be gone. */
    public static void removeTree(Path group) {
        for (Path child : children(group)) {
            removeTree(child);
        }
        try {
            Files.deleteIfExists(group); // rmdir: a cgroup's files are not files to delete
        } catch (IOException e) {
            // Still busy (a process that could not be killed): left for the sweep of a later run.
        }
    }

    /** The pids in the group and in the groups inside it, this JVM's left out. */
    static List<Long> members(Path group) {
        List<Long> pids = pids(group);
        for (Path child : children(group)) {
            pids.addAll(members(child));
        }
        return pids;
    }

    /**
     * The pids in the group itself, this JVM's left out: it is listed while one of its threads starts a process
     * there, and is never to be killed.
     */
    private static List<Long> pids(Path group) {
        List<Long> pids = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(group.resolve("cgroup.procs"), StandardCharsets.US_ASCII)) {
                if (!line.isBlank() && Long.parseLong(line.strip()) != SELF) {
                    pids.add(Long.parseLong(line.strip()));
                }
            }
        } catch (NoSuchFileException e) {
            return pids;
        } catch (IOException | RuntimeException e) {
            // Unreadable: nothing more to find here.
        }
        return pids;
    }

    private static boolean freeze(Path group) {
        if (!write(group.resolve("freezer.state"), "FROZEN")) {
            return false;
        }
        for (int round = 0; round < FREEZE_ROUNDS; round++) {
            try {
                if (Files.readString(group.resolve("freezer.state")).strip().equals("FROZEN")) {
                    return true;
                }
            } catch (IOException e) {
                return false;
            }
            pause(round);
        }
        return false; // a member in uninterruptible sleep: kill what is there and repeat
    }

    private static List<Path> children(Path group) {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(group, Files::isDirectory)) {
            entries.forEach(children::add);
        } catch (IOException e) {
            // Gone or unreadable: no children to visit.
        }
        return children;
    }

    private static void kill(long pid) {
        if (pid != SELF) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static boolean write(Path file, String value) {
        try {
            Files.writeString(file, value);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits a little even when interrupted: a kill must be over before its caller gives up. */
    private static void pause(int round) {
        boolean interrupted = Thread.interrupted();
        try {
            Thread.sleep(Math.min(1 + round / 10, 10));
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The kernel's id of the calling thread, from {@code /proc/thread-self -> PID/task/TID}. */
    static String threadId() throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
    }
}
