package dev.magpie.daytona.server;

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
 * Commands run through bubblewrap ({@code bwrap}) as Daytona shows a sandbox: the sandbox's directory mounted at
 * {@value DaytonaHome#PATH}, their home and working directory; a {@code /tmp} of the sandbox's own, kept between
 * commands; the host's system directories ({@code /usr}, {@code /etc}, {@code /bin}, {@code /lib*}) read-only; no
 * other file of this machine ({@code /etc/shadow} and {@code /etc/gshadow} show empty). Each command gets new user,
 * IPC, UTS and mount namespaces, with every capability dropped but overriding file permissions (within the user
 * namespace: on the server's user's files), and an environment of {@code PATH}, {@code HOME} and {@code LANG} plus
 * the sandbox's variables, the request's and those {@code POST /env} set only. It shares the host's network and
 * process namespace, as the processes of one Daytona sandbox share theirs: what a command leaves running in the
 * background stays until the sandbox is deleted, and it sees this machine's processes in {@code /proc} (not their
 * environments).
 *
 * <p>A sandbox's processes are kept in its cgroup when {@link ProcessCages} are available, and all killed when it
 * stops; otherwise stopping kills the process trees of its commands, and a process that left its tree survives.
 */
final class NamespaceRuntime implements SandboxRuntime {

    /** The host side's environment: only what the launcher needs, so that no request variable acts on it. */
    private static final Map<String, String> LAUNCHER_ENV = Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    private static final Map<String, String> BASE_ENV = Map.of("PATH",
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME", DaytonaHome.PATH,
            "LANG", "C.UTF-8");
    /**
     * Takes the options (which hold the environment's values, secrets included: the sandbox's, the request's and
     * those {@code POST /env} set) as fd 3 from a file it unlinks at once, and replaces itself with bwrap. The
     * options never appear on a command line, which every user of the machine can read.
     */
    private static final String OPEN = "exec 3<\"$1\" && rm -f -- \"$1\" || exit 125\n";
    private static final String RUN = "shift\nexec \"$@\"\n";
    private static final List<String> SYSTEM_LINKS = List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");
    private static final Map<String, Optional<String>> PROBED = new ConcurrentHashMap<>();

    private final ProcessCages cages;
    private final String bwrap;
    /** The machine's directories as every command sees them: the same for the whole run. */
    private final List<String> system = List.copyOf(systemOptions());

    NamespaceRuntime(ProcessCages cages, String bwrap) {
        this.cages = cages;
        this.bwrap = bwrap;
    }

    /** Why bwrap cannot make a sandbox here, or empty when it can: probed once per program and JVM. */
    static Optional<String> unavailable(String bwrap) {
        Optional<String> known = PROBED.get(bwrap);
        if (known != null) {
            return known;
        }
        Optional<String> probed = probe(bwrap);
        if (!Thread.currentThread().isInterrupted()) { // an interrupted probe says nothing about the machine
            PROBED.putIfAbsent(bwrap, probed);
        }
        return probed;
    }

    @Override
    public void start(LocalSandbox sandbox) throws IOException {
        Files.createDirectories(tmp(sandbox));
        if (cages.available()) {
            cages.open(sandbox.id);
        }
    }

    @Override
    public Process exec(LocalSandbox sandbox, String command, String cwd, Map<String, String> env,
                        boolean mergeStderr, Path output) throws IOException {
        List<String> options = new ArrayList<>(system);
        options.addAll(List.of("--bind", sandbox.directory.toString(), DaytonaHome.PATH,
                "--bind", tmp(sandbox).toString(), "/tmp", "--chdir", inside(cwd), "--clearenv"));
        Map<String, String> all = new java.util.TreeMap<>(BASE_ENV);
        all.putAll(sandbox.env);
        all.putAll(env);
        sandbox.daemonEnv.applyTo(all, env.keySet());
        all.forEach((name, value) -> options.addAll(List.of("--setenv", name, value)));
        StringBuilder text = new StringBuilder();
        options.forEach(option -> text.append(option).append('\0'));
        // Beside the home, never inside what the sandbox sees; mode 0600.
        Path file = Files.createTempFile(sandbox.directory.getParent(), ".bwrap-", ".args");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        String join = cages.available() ? cages.joinScript(sandbox.id) + "true || exit 125\n" : "";
        ProcessBuilder builder = new ProcessBuilder(List.of("sh", "-c", OPEN + join + RUN, "sh", file.toString(), bwrap,
                "--args", "3", "--", "sh", "-c", command)).directory(new java.io.File("/"))
                .redirectErrorStream(mergeStderr);
        builder.environment().clear();
        builder.environment().putAll(LAUNCHER_ENV);
        if (output != null) {
            builder.redirectOutput(output.toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return process;
    }

    @Override
    public void kill(LocalSandbox sandbox, Process process) {
        DirectoryRuntime.killTree(process);
    }

    @Override
    public void stop(LocalSandbox sandbox) {
        if (cages.available()) { // its processes were killed one by one before (LocalSandbox.killAll)
            cages.close(sandbox.id);
        }
    }

    /** The sandbox's {@code /tmp}, beside its home. */
    private static Path tmp(LocalSandbox sandbox) {
        return sandbox.directory.resolveSibling("tmp");
    }

    private static String inside(String cwd) {
        return cwd == null ? DaytonaHome.PATH : cwd.startsWith("/") ? cwd : DaytonaHome.PATH + "/" + cwd;
    }

    private static List<String> systemOptions() {
        List<String> options = new ArrayList<>(List.of("--unshare-user", "--unshare-ipc", "--unshare-uts",
                "--unshare-cgroup-try", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
                // As a Daytona sandbox's root may: remove a tree with read-only parts. Within the user namespace it
                // acts only on files of the server's user, and on read-only mounts not at all.
                "--cap-add", "CAP_DAC_OVERRIDE", "--cap-add", "CAP_FOWNER",
                "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc",
                "--ro-bind-try", "/dev/null", "/etc/shadow", "--ro-bind-try", "/dev/null", "/etc/gshadow"));
        for (String link : SYSTEM_LINKS) {
            Path path = Path.of(link);
            try {
                if (Files.isSymbolicLink(path)) {
                    options.addAll(List.of("--symlink", Files.readSymbolicLink(path).toString(), link));
                } else if (Files.isDirectory(path)) {
                    options.addAll(List.of("--ro-bind", link, link));
                }
            } catch (IOException e) {
                // Unreadable: the sandbox goes without it.
            }
        }
        // The host's /proc, read-only: a new one needs a process namespace of its own, which would end every
        // background process with its command.
        options.addAll(List.of("--ro-bind", "/proc", "/proc", "--dev", "/dev"));
        return options;
    }

    private static Optional<String> probe(String bwrap) {
        List<String> command = new ArrayList<>(List.of(bwrap));
        command.addAll(systemOptions());
        command.addAll(List.of("--tmpfs", DaytonaHome.PATH, "--", "true"));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            // Small output only; a bwrap that hangs is killed at the deadline.
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.of("'" + bwrap + "' did not finish making a test sandbox within 30 s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return process.exitValue() == 0 ? Optional.empty() : Optional.of("'" + bwrap
                    + "' could not make a sandbox here (exit " + process.exitValue() + ": " + output
                    + "); user namespaces must be allowed");
        } catch (IOException e) {
            return Optional.of("bubblewrap ('" + bwrap + "') could not be started (" + e.getMessage()
                    + "); install it (apt-get install bubblewrap)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while checking that '" + bwrap + "' can make a sandbox");
        }
    }
}
