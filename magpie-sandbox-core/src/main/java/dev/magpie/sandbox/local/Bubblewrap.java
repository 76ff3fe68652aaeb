package dev.magpie.sandbox.local;

import dev.magpie.sandbox.internal.ProcessRunner;
import dev.magpie.sandbox.spi.Availability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Commands in Linux namespaces through bubblewrap ({@code bwrap}): what the sandbox of an isolated local workspace
 * sees, and whether this machine can make one.
 *
 * <p>The sandbox: the workspace bound read-write at {@link #WORKSPACE}; {@code /usr}, {@code /etc} and the
 * {@code /bin}, {@code /sbin}, {@code /lib*} of the host read-only (symlinks where the host has merged them into
 * {@code /usr}); a fresh {@code /proc} and {@code /dev}; a private {@code /tmp}; nothing else of the host's files.
 * New user, PID, IPC, UTS and cgroup namespaces, and a network namespace with only its own loopback unless the
 * network is shared. Every capability is dropped, even root's, so that mounts stay as made. The process ID
 * namespace ends with the command: what it left running is killed with it.
 *
 * <p>The options, which carry the environment's values, reach bwrap through a file descriptor (a pipe from the
 * JVM; a file, unlinked once open, for a command with a stdin of its own) rather than its command line, where every
 * user of the machine could read them; the host side runs with a fixed environment, so
 * that no variable meant for the command (a loader's {@code LD_PRELOAD}) acts on the launcher.
 */
final class Bubblewrap {

    /** Where the workspace is mounted inside the sandbox. */
    static final String WORKSPACE = "/workspace";

    /** The host side's environment: only what the launcher itself needs. */
    static final Map<String, String> LAUNCHER_ENV = Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");

    /**
     * Where a limit is set, or the command has a stdin of its own: takes the options as fd 3 (its stdin, a pipe; or a file it opens when the command has a stdin of its own),
     * sets the resource limits and replaces itself with bwrap: one shell, no other program, between the JVM and the
     * sandbox.
     */
    // The options hold the command's environment, secrets included: a file of them is unlinked as soon as it is open.
    private static final String LAUNCHER = "if [ -z \"$1\" ]; then exec 3<&0 </dev/null\n"
            + "else exec 3<\"$1\" && rm -f -- \"$1\" || exit 125; fi\n"
            + "{ [ \"$2\" = unlimited ] || ulimit -f \"$2\"; } && { [ \"$3\" = unlimited ] || ulimit -t \"$3\"; }"
            + " && { [ \"$4\" = unlimited ] || ulimit -v \"$4\"; } || exit 125\n"
            + "shift 4\n"
            + "exec \"$@\"\n";

    private static final List<String> SYSTEM_LINKS = List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");
    private static final Map<String, Availability> PROBED = new ConcurrentHashMap<>();

    private final String program;

    Bubblewrap(String program) {
        this.program = program;
    }

    /** Whether a sandbox can be made here: bwrap runs {@code true} in one; probed once per program and JVM. */
    Availability availability() {
        Availability known = PROBED.get(program);
        if (known != null) {
            return known;
        }
        Availability probed = probe(program);
        if (!Thread.currentThread().isInterrupted()) { // an interrupted probe says nothing about the machine
            PROBED.putIfAbsent(program, probed);
        }
        return probed;
    }

    /**
     * The launcher that runs {@code command} in a sandbox of {@code workspace}.
     *
     * @param optionsFile  null: the options come as the launcher's stdin, through a pipe; or, for a command that
     *                     reads a stdin of its own, a file of this JVM's own (mode 0600) to receive them, unlinked
     *                     once the launcher has it open (delete it after the run all the same, for a launcher that
     *                     never started)
     * @param directory    the working directory inside the sandbox, at or below {@link #WORKSPACE}
     * @param starter      what starts the launcher (in the workspace's process-count group), or null
     */
    ProcessRunner.Launcher launch(Path optionsFile, Path workspace, String directory, boolean shareNetwork,
                                  Map<String, String> env, Limits limits, ProcessRunner.Starter starter,
                                  List<String> command) throws IOException {
        StringBuilder text = new StringBuilder(shareNetwork ? SHARED_NETWORK : OWN_NETWORK);
        for (String option : List.of("--bind", workspace.toString(), WORKSPACE, "--chdir", directory, "--clearenv")) {
            text.append(option).append('\0');
        }
        env.forEach((name, value) -> text.append("--setenv\0").append(name).append('\0').append(value).append('\0'));
        byte[] options = text.toString().getBytes(StandardCharsets.UTF_8);
        if (optionsFile != null) {
            Files.write(optionsFile, options);
        }
        // Without limits to set and with the options in the pipe, bwrap needs no shell before it: it reads the
        // options from its stdin, which the command then finds at its end.
        List<String> launch = new ArrayList<>(optionsFile == null && limits.equals(Limits.NONE)
                ? List.of(program, "--args", "0", "--")
                : List.of("/bin/sh", "-c", LAUNCHER, "sh", optionsFile == null ? "" : optionsFile.toString(),
                        limits.fileSizeBlocks(), limits.cpuSeconds(), limits.memoryKib(), program, "--args", "3", "--"));
        launch.addAll(command);
        return new ProcessRunner.Launcher(launch, LAUNCHER_ENV,
                optionsFile == null ? Optional.of(options) : Optional.empty(), starter);
    }

    /** Whether bwrap's report on stderr says that the program itself could not be started in the sandbox. */
    static boolean couldNotStart(int exitCode, String stderr) {
        return exitCode == 1 && stderr.startsWith("bwrap: execvp ");
    }

    /** The options of the host's system directories, NUL-terminated each: the host's layout, read once. */
    private static final String OWN_NETWORK = nulTerminated(systemOptions(false));
    private static final String SHARED_NETWORK = nulTerminated(systemOptions(true));

    private static String nulTerminated(List<String> options) {
        StringBuilder text = new StringBuilder();
        options.forEach(option -> text.append(option).append('\0'));
        return text.toString();
    }

    private static List<String> systemOptions(boolean shareNetwork) {
        List<String> options = new ArrayList<>(List.of("--unshare-all", "--die-with-parent", "--new-session",
                "--cap-drop", "ALL", "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"));
        if (shareNetwork) {
            options.add("--share-net");
        }
        for (String link : SYSTEM_LINKS) {
            Path path = Path.of(link);
            if (Files.isSymbolicLink(path)) {
                try {
                    options.addAll(List.of("--symlink", Files.readSymbolicLink(path).toString(), link));
                } catch (IOException e) {
                    // Unreadable: the sandbox goes without it.
                }
            } else if (Files.isDirectory(path)) {
                options.addAll(List.of("--ro-bind", link, link));
            }
        }
        options.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"));
        return options;
    }

    private static Availability probe(String program) {
        List<String> command = new ArrayList<>(List.of(program));
        command.addAll(systemOptions(false));
        command.addAll(List.of("--", "true"));
        try {
            // Output to a file, read after the wait: a bwrap that hangs with its output open cannot hold the probe.
            java.io.File log = java.io.File.createTempFile("magpie-bwrap-probe-", ".log");
            byte[] output;
            Process process;
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(log).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
                boolean ended = process.waitFor(30, TimeUnit.SECONDS);
                output = ended ? java.nio.file.Files.readAllBytes(log.toPath()) : new byte[0];
            } finally {
                java.nio.file.Files.deleteIfExists(log.toPath());
            }
            if (process.isAlive()) {
                process.destroyForcibly();
                return Availability.unavailable("'" + program + "' did not finish making a test sandbox within 30 s."
                        + " Check that it works (" + program + " --unshare-all --ro-bind / / true), or set "
                        + LocalWorkspace.ISOLATION_KEY + "=none.");
            }
            if (process.exitValue() != 0) {
                return Availability.unavailable("'" + program + "' could not make a sandbox here (exit "
                        + process.exitValue() + ": " + new String(output, StandardCharsets.UTF_8).strip()
                        + "). User namespaces must be allowed: sysctl kernel.unprivileged_userns_clone=1, or on Ubuntu"
                        + " kernel.apparmor_restrict_unprivileged_userns=0; inside a container, run it with"
                        + " --privileged or a seccomp profile that allows them. Or set "
                        + LocalWorkspace.ISOLATION_KEY + "=none.");
            }
            return Availability.AVAILABLE;
        } catch (IOException e) {
            return Availability.unavailable("isolated local workspaces need bubblewrap, but '" + program
                    + "' could not be started (" + e.getMessage() + "). Install it (apt-get install bubblewrap,"
                    + " dnf install bubblewrap), set " + LocalWorkspace.BWRAP_KEY + " to its path, or set "
                    + LocalWorkspace.ISOLATION_KEY + "=none.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Availability.unavailable("interrupted while checking that '" + program + "' can make a sandbox.");
        }
    }

    /**
     * Resource limits of each sandboxed command (its processes each), as {@code ulimit} values: a number, or
     * {@code unlimited} for none set (the command keeps this JVM's).
     */
    record Limits(String fileSizeBlocks, String cpuSeconds, String memoryKib) {
        /** No limit set: the command keeps this JVM's. */
        static final Limits NONE = new Limits("unlimited", "unlimited", "unlimited");
    }
}
