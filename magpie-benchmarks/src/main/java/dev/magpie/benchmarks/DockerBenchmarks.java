package dev.magpie.benchmarks;

import dev.magpie.sandbox.docker.DockerEngine;
import dev.magpie.sandbox.docker.DockerWorkspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Figures for container workspaces beside the {@code docker} command line on the same engine, as medians, the
 * two measured in alternation so that both see the same load:
 * <ul>
 *   <li>{@code exec("true")} in a running container through the workspace's command channel, beside
 *       {@code docker exec <id> true} and beside one engine exec per command (the path the channel replaced);</li>
 *   <li>200 {@code git status} in a cloned repository through the channel, beside one engine exec each;</li>
 *   <li>create+destroy of a workspace beside {@code docker run --rm <image> true}.</li>
 * </ul>
 * Targets: exec at most 0.1x the CLI, create+destroy at most 1.5x. Needs an engine and the image
 * ({@code MAGPIE_DOCKER_TEST_IMAGE}, default {@code magpie/debian-git:bookworm}; {@code .ci/docker-setup} builds it).
 * Arguments: {@code [execRounds] [createRounds]} (defaults 200 and 30).
 */
public final class DockerBenchmarks {

    private DockerBenchmarks() {
    }

    public static void main(String[] args) {
        int execRounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int createRounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        String image = System.getenv().getOrDefault("MAGPIE_DOCKER_TEST_IMAGE", "magpie/debian-git:bookworm");
        System.out.println("engine " + DockerEngine.connect(DockerEngine.DEFAULT_PROBE_TIMEOUT).endpoint()
                + ", image " + image);
        execBenchmark(image, execRounds);
        gitStatusBenchmark(image, 200);
        createBenchmark(image, createRounds);
    }

    private static void execBenchmark(String image, int rounds) {
        Measurements cli = new Measurements("docker exec <id> true");
        Measurements oneExec = new Measurements("one engine exec per command: true");
        Measurements ours = new Measurements("workspace.exec(\"true\") (channel)");
        Measurements busy = new Measurements("the same beside 100 idle processes");
        try (DockerWorkspace workspace = DockerWorkspace.builder(image).build()) {
            OneExecPerCommand baseline = new OneExecPerCommand(workspace.id());
            for (int i = 0; i < 20; i++) {
                workspace.exec("true");
                baseline.run("/", "true");
                docker("exec", workspace.id(), "true");
            }
            for (int i = 0; i < rounds; i++) {
                cli.time(() -> docker("exec", workspace.id(), "true"));
                oneExec.time(() -> baseline.run("/", "true"));
                ours.time(() -> workspace.exec("true"));
            }
            // The channel looks for processes a command left behind; a container full of others must not slow it.
            workspace.shell("for i in $(seq 100); do setsid sleep 100000 </dev/null >/dev/null 2>&1 & done");
            for (int i = 0; i < rounds; i++) {
                busy.time(() -> workspace.exec("true"));
            }
        }
        System.out.println("exec in a running container (target <= 0.1x the CLI):");
        System.out.println(cli.line(null));
        System.out.println(oneExec.line(cli));
        System.out.println(ours.line(cli));
        System.out.println(busy.line(cli));
    }

    private static void gitStatusBenchmark(String image, int rounds) {
        Path repository = sampleRepository();
        Measurements oneExec = new Measurements(rounds + " x git status, one engine exec each");
        Measurements ours = new Measurements(rounds + " x git status through the channel");
        try (DockerWorkspace workspace = DockerWorkspace.builder(image).repository(repository.toString()).build()) {
            OneExecPerCommand baseline = new OneExecPerCommand(workspace.id());
            for (int i = 0; i < 10; i++) {
                workspace.exec("git", "status");
                baseline.run(workspace.workingDir(), "git", "status");
            }
            for (int round = 0; round < 3; round++) {
                oneExec.time(() -> {
                    for (int i = 0; i < rounds; i++) {
                        baseline.run(workspace.workingDir(), "git", "status");
                    }
                });
                ours.time(() -> {
                    for (int i = 0; i < rounds; i++) {
                        if (!workspace.exec("git", "status").succeeded()) {
                            throw new IllegalStateException("git status failed in the workspace");
                        }
                    }
                });
            }
        }
        System.out.println(rounds + " x git status in a cloned repository (median of 3 runs):");
        System.out.println(oneExec.line(null));
        System.out.println(ours.line(oneExec));
    }

    /** A repository of a few hundred files in a fresh temporary directory, committed with this machine's git. */
    private static Path sampleRepository() {
        try {
            Path directory = Files.createTempDirectory("magpie-bench-repo-");
            for (int i = 0; i < 300; i++) {
                Path file = directory.resolve("src/dir" + (i % 10) + "/file" + i + ".txt");
                Files.createDirectories(file.getParent());
                Files.writeString(file, "line " + i + "\n");
            }
            run(directory, "git", "init", "--quiet");
            run(directory, "git", "add", ".");
            run(directory, "git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "commit",
                    "--quiet", "-m", "sample");
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(Path directory, String... command) {
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void createBenchmark(String image, int rounds) {
        Measurements cli = new Measurements("docker run --rm <image> true");
        Measurements ours = new Measurements("DockerWorkspace build() + destroy()");
        for (int i = 0; i < 3; i++) {
            DockerWorkspace.builder(image).build().destroy();
            docker("run", "--rm", image, "true");
        }
        for (int i = 0; i < rounds; i++) {
            cli.time(() -> docker("run", "--rm", image, "true"));
            ours.time(() -> DockerWorkspace.builder(image).build().destroy());
        }
        System.out.println("create + destroy a container (target <= 1.5x):");
        System.out.println(cli.line(null));
        System.out.println(ours.line(cli));
    }

    private static void docker(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "docker";
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
