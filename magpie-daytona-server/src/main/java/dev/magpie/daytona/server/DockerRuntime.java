package dev.magpie.daytona.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Commands run in a Docker container per sandbox, started from one image with the sandbox's directory mounted as
 * its home ({@value #HOME}), through the {@code docker} command. Each command carries a marker variable, so that
 * killing it kills exactly its processes inside the container.
 */
final class DockerRuntime implements SandboxRuntime {

    static final String HOME = DaytonaHome.PATH;
    /** Set on each process, to find and kill what it started; never part of a session's saved variables. */
    static final String MARKER = "MAGPIE_DAYTONA_CMD";

    private final String image;
    private final Map<Long, String> markers = new ConcurrentHashMap<>();

    DockerRuntime(String image) {
        this.image = image;
    }

    /** Whether a Docker engine answers and has the image. */
    static boolean available(String image) {
        try {
            return run(List.of("docker", "image", "inspect", image), 20) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void start(LocalSandbox sandbox) throws IOException {
        List<String> command = new ArrayList<>(List.of("docker", "run", "-d", "--init", "--name", container(sandbox),
                "--label", "dev.magpie.daytona-server=sandbox", "-v", sandbox.directory + ":" + HOME, "-w", HOME,
                "-e", "HOME=" + HOME));
        sandbox.env.forEach((k, v) -> command.addAll(List.of("-e", k + "=" + v)));
        command.addAll(List.of("--entrypoint", "sleep", image, "infinity"));
        if (run(command, 120) != 0) {
            throw new IOException("docker run of image " + image + " failed for sandbox " + sandbox.id);
        }
    }

    @Override
    public Process exec(LocalSandbox sandbox, String command, String cwd, Map<String, String> env,
                        boolean mergeStderr, Path output) throws IOException {
        String marker = UUID.randomUUID().toString();
        List<String> args = new ArrayList<>(List.of("docker", "exec", "-i", "-w",
                cwd == null ? HOME : cwd.startsWith("/") ? cwd : HOME + "/" + cwd, "-e", MARKER + "=" + marker));
        env.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
        args.addAll(List.of(container(sandbox), "sh", "-c", sandbox.daemonEnv.wrap(command, env.keySet())));
        ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(mergeStderr);
        if (output != null) {
            builder.redirectOutput(output.toFile());
        }
        Process process = builder.start();
        markers.put(process.pid(), marker);
        process.onExit().thenRun(() -> markers.remove(process.pid()));
        return process;
    }

    @Override
    public void kill(LocalSandbox sandbox, Process process) {
        String marker = markers.remove(process.pid());
        if (marker != null) {
            String script = "for p in /proc/[0-9]*; do if grep -qz '^" + MARKER + "=" + marker + "$' $p/environ "
                    + "2>/dev/null; then kill -9 ${p#/proc/} 2>/dev/null; fi; done; true";
            try {
                run(List.of("docker", "exec", container(sandbox), "sh", "-c", script), 30);
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
    public String home(LocalSandbox sandbox) {
        return HOME;
    }

    @Override
    public Optional<Path> toHost(LocalSandbox sandbox, String path) {
        return DaytonaHome.toHost(sandbox, path);
    }

    @Override
    public String toSandbox(LocalSandbox sandbox, Path hostPath) {
        return DaytonaHome.toSandbox(sandbox, hostPath);
    }

    @Override
    public String sessionState(LocalSandbox sandbox, String sessionKey) {
        return "/tmp/.magpie-sessions/" + sessionKey;
    }

    @Override
    public String address(LocalSandbox sandbox) {
        try {
            Process p = new ProcessBuilder("docker", "inspect", "-f",
                    "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}", container(sandbox))
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0 || output.isEmpty()) {
                throw new IOException("no address (" + output + ")");
            }
            return output.split(" ")[0];
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find the address of container " + container(sandbox), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted", e));
        }
    }

    private static String container(LocalSandbox sandbox) {
        return "magpie-daytona-" + sandbox.id;
    }

    private static int run(List<String> command, int timeoutSeconds) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " took over " + timeoutSeconds + " s");
            }
            if (p.exitValue() != 0 && output.length > 0) {
                System.err.println(String.join(" ", command.subList(0, 3)) + ": "
                        + new String(output, StandardCharsets.UTF_8).strip());
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
