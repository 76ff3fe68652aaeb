package dev.magpie.daytona.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Commands run in a Docker container per sandbox, started from one image with the sandbox's directory mounted as
 * its home ({@value #HOME}), through the {@code docker} command. Each command carries a marker variable, so that
 * killing it kills exactly its processes inside the container.
 *
 * <p>Variables never go on a {@code docker} command line, which every user of the machine can read: each command's
 * (the sandbox's, the request's and those {@code POST /env} set) are written to a file of mode 0600 in a directory
 * beside the home, mounted at {@value #VARIABLES}, which the command's shell reads and deletes before anything
 * else runs. Commands run as the user and group that own the sandbox's home on this machine (the server's),
 * whatever user the image names: the mounted home and that file stay theirs, and nothing a command writes there
 * belongs to another user of this machine. The command that kills a command's processes runs as root.
 */
final class DockerRuntime implements SandboxRuntime {

    static final String HOME = DaytonaHome.PATH;
    /** Set on each process, to find and kill what it started; never part of a session's saved variables. */
    static final String MARKER = "MAGPIE_DAYTONA_CMD";
    /** Where the container sees the directory of the files that hand each command its variables. */
    static final String VARIABLES = "/run/magpie-variables";
    /**
     * Kills every process of the container whose environment holds the marker (a {@code String.format} pattern of
     * it). They are stopped first (SIGSTOP), and looked for again until no new one appears: one forked between a
     * look and the kill would otherwise survive. A stopped process cannot fork, so the last look finds them all.
     */
    private static final String KILL_MARKED = String.join("\n",
            "held=; rounds=50",
            "while [ $rounds -gt 0 ]; do",
            "  rounds=$((rounds - 1)); new=",
            "  for p in /proc/[0-9]*; do",
            "    case \" $held \" in *\" ${p#/proc/} \"*) continue;; esac",
            "    grep -qz '^%s$' $p/environ 2>/dev/null && new=\"$new ${p#/proc/}\"",
            "  done",
            "  [ -n \"$new\" ] || break",
            "  kill -s STOP $new 2>/dev/null; held=\"$held $new\"",
            "done",
            "[ -z \"$held\" ] || kill -s KILL $held 2>/dev/null; true");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final String image;
    private final Map<Long, String> markers = new ConcurrentHashMap<>();

    DockerRuntime(String image) {
        this.image = image;
    }

    /** Whether a Docker engine answers and has the image. */
    static boolean available(String image) {
        try {
            return run(List.of("docker", "image", "inspect", image), 20).code() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void start(LocalSandbox sandbox) throws IOException {
        List<String> command = List.of("docker", "run", "-d", "--init", "--name", container(sandbox),
                "--label", "dev.magpie.daytona-server=sandbox", "-v", sandbox.directory + ":" + HOME, "-w", HOME,
                "-v", Files.createDirectories(variables(sandbox)) + ":" + VARIABLES, "-e", "HOME=" + HOME,
                "--entrypoint", "sleep", image, "infinity");
        Result result = run(command, 120);
        if (result.code() != 0) {
            throw new IOException("docker run of image " + image + " failed for sandbox " + sandbox.id + ": "
                    + result.output());
        }
    }

    @Override
    public Process exec(LocalSandbox sandbox, String command, String cwd, Map<String, String> env,
                        boolean mergeStderr, Path output) throws IOException {
        String marker = UUID.randomUUID().toString();
        Path variables = writeVariables(sandbox, marker, env);
        String handedOver = VARIABLES + "/" + marker;
        List<String> args = List.of("docker", "exec", "-i", "-u", owner(sandbox), "-w",
                cwd == null ? HOME : cwd.startsWith("/") ? cwd : HOME + "/" + cwd, "-e", MARKER + "=" + marker,
                container(sandbox), "sh", "-c", ". " + handedOver + " && rm -f " + handedOver + " || exit 125\n"
                        + command);
        ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(mergeStderr);
        if (output != null) {
            builder.redirectOutput(output.toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            Files.deleteIfExists(variables);
            throw e;
        }
        markers.put(process.pid(), marker);
        process.onExit().thenRun(() -> {
            markers.remove(process.pid());
            deleteQuietly(variables); // left when the command could not start in the container
        });
        return process;
    }

    /**
     * Writes the command's variables as shell lines to a file only the server's user may read: the sandbox's,
     * then the request's, then what {@code POST /env} changed, which a variable of the request overrides.
     */
    private static Path writeVariables(LocalSandbox sandbox, String marker, Map<String, String> env)
            throws IOException {
        StringBuilder lines = new StringBuilder();
        for (Map<String, String> variables : List.of(sandbox.env, env)) {
            for (Map.Entry<String, String> variable : variables.entrySet()) { // checked by LocalSandbox.exec
                lines.append(DaemonEnv.export(variable.getKey(), variable.getValue())).append('\n');
            }
        }
        sandbox.daemonEnv.changes(env.keySet()).forEach((name, value) ->
                lines.append(value == null ? "unset " + name : DaemonEnv.export(name, value)).append('\n'));
        Path file = Files.createFile(variables(sandbox).resolve(marker),
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.writeString(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    /** The user and group that own the sandbox's home on this machine, as {@code uid:gid}: the server's. */
    private static String owner(LocalSandbox sandbox) throws IOException {
        return Files.getAttribute(sandbox.directory, "unix:uid", LinkOption.NOFOLLOW_LINKS) + ":"
                + Files.getAttribute(sandbox.directory, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    }

    private static Path variables(LocalSandbox sandbox) {
        return sandbox.directory.resolveSibling(".variables");
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // deleted with the sandbox's directory at the latest
        }
    }

    @Override
    public void kill(LocalSandbox sandbox, Process process) {
        String marker = markers.remove(process.pid());
        if (marker != null) {
            String script = String.format(KILL_MARKED, MARKER + "=" + marker);
            try {
                run(List.of("docker", "exec", "-u", "0", container(sandbox), "sh", "-c", script), 30);
            } catch (IOException e) {
                // the container is gone: so are its processes
            }
        }
        process.destroyForcibly();
    }

    @Override
    public void stop(LocalSandbox sandbox) {
        try {
            run(List.of("docker", "rm", "-f", container(sandbox)), 60);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not remove container " + container(sandbox), e);
        }
    }

    @Override
    public String address(LocalSandbox sandbox) {
        try {
            Result result = run(List.of("docker", "inspect", "-f",
                    "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}", container(sandbox)), 30);
            if (result.code() != 0 || result.output().isEmpty()) {
                throw new IOException("docker inspect found no address (" + result.output() + ")");
            }
            return result.output().split(" ")[0];
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("Could not find the address of container "
                    + container(sandbox) + ": " + e.getMessage() + "; check that the sandbox is started and that "
                    + "'docker info' answers", e));
        }
    }

    private static String container(LocalSandbox sandbox) {
        return "magpie-daytona-" + sandbox.id;
    }

    /**
     * Runs a {@code docker} command to its end, its output (stderr merged) kept in a file, so that the deadline
     * holds even while the command keeps its output open.
     */
    private static Result run(List<String> command, int timeoutSeconds) throws IOException {
        Path output = Files.createTempFile("magpie-docker-", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            try {
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException("'" + String.join(" ", command.subList(0, 2)) + "' did not end within "
                            + timeoutSeconds + " s: the Docker engine does not answer; check it with 'docker info'");
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while '" + String.join(" ", command.subList(0, 2)) + "' ran", e);
            }
            Result result = new Result(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8).strip());
            if (result.code() != 0 && !result.output().isEmpty()) {
                System.err.println(String.join(" ", command.subList(0, 3)) + ": " + result.output());
            }
            return result;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** A finished {@code docker} command: its exit code and output. */
    private record Result(int code, String output) {
    }
}
