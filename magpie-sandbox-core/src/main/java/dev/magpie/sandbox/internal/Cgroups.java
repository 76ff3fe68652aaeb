package dev.magpie.sandbox.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This JVM's freezer groups (cgroup v1), one directory named for the JVM
 * ({@code magpie/<host>_<pid>-<startMillis>} under the freezer hierarchy) holding a group per workspace. The name
 * lets a later run tell a killed JVM's groups from a live one's, as {@link JvmIdentity} does for temporary
 * directories: the first use in a JVM kills the processes of dead JVMs' groups and removes the groups. Groups of
 * another host name (a container sharing the hierarchy, whose pids mean other processes) are left alone.
 *
 * <p>Available where the freezer hierarchy is mounted at {@code /sys/fs/cgroup/freezer} and writable (root, or
 * a delegated hierarchy), which is checked by moving a thread in and out once. Elsewhere (cgroup v2 only, no
 * permission, not Linux) there are no groups and callers fall back to finding processes through {@code /proc}.
 */
public final class Cgroups {

    /** The freezer hierarchy's usual mount point. */
    public static final Path FREEZER = Path.of("/sys/fs/cgroup/freezer");

    private static final System.Logger LOG = System.getLogger(Cgroups.class.getName());
    private static final Pattern NAME = Pattern.compile("(.+)_(\\d+)-(\\d+)");

    private final Path root;
    private final Path jvmGroup;
    private final Path home;
    private final JvmIdentity self;

    private Cgroups(Path root, JvmIdentity self, Path home) {
        this.root = root;
        this.self = self;
        this.jvmGroup = root.resolve(nameOf(self));
        this.home = home;
    }

    /** This JVM's groups, after sweeping dead JVMs' groups; empty where the machine does not allow them. */
    public static Optional<Cgroups> forThisJvm() {
        return Holder.INSTANCE;
    }

    /** A new group for one workspace. */
    public Cgroup create(String name) throws IOException {
        Path group = jvmGroup.resolve(name);
        Files.createDirectory(group);
        return new Cgroup(group, home);
    }

    /**
     * An existing group of another cgroup v1 hierarchy ({@code pids}, mounted at {@code hierarchy}). Its kill has no
     * freezer: it signals the members until none is left.
     *
     * @throws IOException when this JVM is in no group of that hierarchy
     */
    public static Cgroup of(Path hierarchy, Path group, String controller) throws IOException {
        return new Cgroup(group, hierarchy.resolve(homeOfThisJvm(controller)));
    }

    /** The name of the groups of a JVM, under a hierarchy's {@code magpie} group: its host, pid and start time. */
    public static String nameOf(JvmIdentity jvm) {
        return hostPart(jvm.host()) + "_" + jvm.pid() + "-" + jvm.startMillis();
    }

    /** Whether a group named by {@link #nameOf} belongs to a JVM of this host that has ended. */
    public static boolean isStale(String name, JvmIdentity self) {
        Matcher parts = NAME.matcher(name);
        return parts.matches() && parts.group(1).equals(hostPart(self.host())) && !new JvmIdentity(self.host(),
                Long.parseLong(parts.group(2)), Long.parseLong(parts.group(3))).isAlive();
    }

    /** Kills the processes of the groups whose JVM is gone and removes those groups; returns the groups removed. */
    public List<Path> sweepStale() {
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path entry : entries) {
                if (isStale(entry.getFileName().toString(), self)) {
                    int killed = Cgroup.killFrozen(entry);
                    Cgroup.removeTree(entry);
                    if (killed > 0) {
                        LOG.log(Level.INFO, "Killed " + killed + " processes left by the dead JVM of " + entry);
                    }
                    removed.add(entry);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Could not look for the process groups of dead JVMs in " + root + ": " + e);
        }
        return removed;
    }

    /** The host name as a directory name may hold it. */
    private static String hostPart(String host) {
        return host.replaceAll("[^A-Za-z0-9.-]", "-");
    }

    private static Optional<Cgroups> detect(Path freezer) {
        if (!Files.isRegularFile(freezer.resolve("cgroup.procs")) || !Files.isDirectory(Path.of("/proc/thread-self"))) {
            return Optional.empty();
        }
        Cgroups groups = null;
        try {
            Path home = freezer.resolve(homeOfThisJvm("freezer"));
            groups = new Cgroups(freezer.resolve("magpie"), JvmIdentity.current(), home);
            Files.createDirectories(groups.jvmGroup);
            // One move in and out proves the permission that every start needs.
            String thread = Cgroup.threadId();
            Files.writeString(groups.jvmGroup.resolve("tasks"), thread);
            Files.writeString(home.resolve("tasks"), thread);
            groups.sweepStale();
            return Optional.of(groups);
        } catch (IOException | RuntimeException e) {
            if (groups != null) {
                Cgroup.removeTree(groups.jvmGroup);
            }
            return Optional.empty();
        }
    }

    /** This JVM's group of a hierarchy relative to its root, from {@code /proc/self/cgroup}. */
    private static String homeOfThisJvm(String controller) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] fields = line.split(":", 3);
            if (fields.length == 3 && List.of(fields[1].split(",")).contains(controller)) {
                return fields[2].startsWith("/") ? fields[2].substring(1) : fields[2];
            }
        }
        throw new IOException("no " + controller + " hierarchy in /proc/self/cgroup");
    }

    private static final class Holder {
        private static final Optional<Cgroups> INSTANCE = detect(FREEZER);
    }
}
