package dev.magpie.benchmarks;

import dev.magpie.sandbox.docker.DockerEngine;
import dev.magpie.sandbox.docker.DockerWorkspace;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Figures for container workspaces beside the {@code docker} command line on the same engine, as medians, the
 * two measured in alternation so that both see the same load:
 * <ul>
 *   <li>{@code exec("true")} in a running container beside {@code docker exec <id> true};</li>
 *   <li>create+destroy of a workspace beside {@code docker run --rm <image> true}.</li>
 * </ul>
 * Targets: exec at most 1.0x, create+destroy at most 1.5x. Needs an engine and the image
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
        createBenchmark(image, createRounds);
    }

    private static void execBenchmark(String image, int rounds) {
        Measurements cli = new Measurements("docker exec <id> true");
        Measurements ours = new Measurements("workspace.exec(\"true\")");
        try (DockerWorkspace workspace = DockerWorkspace.builder(image).build()) {
            for (int i = 0; i < 20; i++) {
                workspace.exec("true");
                docker("exec", workspace.id(), "true");
            }
            for (int i = 0; i < rounds; i++) {
                cli.time(() -> docker("exec", workspace.id(), "true"));
                ours.time(() -> workspace.exec("true"));
            }
        }
        System.out.println("exec in a running container (target <= 1.0x):");
        System.out.println(cli.line(null));
        System.out.println(ours.line(cli));
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
