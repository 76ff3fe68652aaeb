package dev.magpie.sandbox.docker;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Figures for container workspaces against the {@code docker} command line on the same engine, measured in
 * alternation so that both see the same load:
 * <ul>
 *   <li>exec of {@code true} in one running container vs {@code docker exec <id> true} (target: at most 1.0x);
 *   <li>create + destroy of a workspace vs {@code docker run --rm <image> true} (target: at most 1.5x).
 * </ul>
 * Not a test: run it by hand (see the README). Arguments: exec rounds (default 200), create rounds (default 30).
 */
public final class DockerBenchmark {

    private DockerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int execRounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int createRounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        String image = DockerEngineCondition.TEST_IMAGE;
        DockerEngine engine = DockerEngine.connect(DockerEngine.DEFAULT_PROBE_TIMEOUT);
        System.out.printf("engine %s, image %s%n", engine.endpoint(), image);

        try (DockerWorkspace workspace = DockerWorkspace.builder(image).build()) {
            String id = workspace.id();
            for (int i = 0; i < 20; i++) {
                workspace.exec("true");
                cli("docker", "exec", id, "true");
            }
            long[] ours = new long[execRounds];
            long[] docker = new long[execRounds];
            for (int i = 0; i < execRounds; i++) {
                ours[i] = time(() -> workspace.exec("true"));
                docker[i] = time(() -> cli("docker", "exec", id, "true"));
            }
            report("exec true", "workspace.exec", ours, "docker exec", docker, 1.0);
        }

        for (int i = 0; i < 3; i++) {
            DockerWorkspace.builder(image).build().destroy();
            cli("docker", "run", "--rm", image, "true");
        }
        long[] ours = new long[createRounds];
        long[] docker = new long[createRounds];
        for (int i = 0; i < createRounds; i++) {
            ours[i] = time(() -> DockerWorkspace.builder(image).build().destroy());
            docker[i] = time(() -> cli("docker", "run", "--rm", image, "true"));
        }
        report("create+destroy", "build()+destroy()", ours, "docker run --rm", docker, 1.5);
    }

    private static void report(String what, String oursName, long[] ours, String baseName, long[] base, double target) {
        double ratio = median(ours) / median(base);
        System.out.printf(Locale.ROOT, "%-15s %-18s median %7.2f ms  p90 %7.2f ms%n", what, oursName,
                median(ours) / 1e6, percentile(ours, 0.9) / 1e6);
        System.out.printf(Locale.ROOT, "%-15s %-18s median %7.2f ms  p90 %7.2f ms%n", "", baseName,
                median(base) / 1e6, percentile(base, 0.9) / 1e6);
        System.out.printf(Locale.ROOT, "%-15s ratio %.2fx (target <= %.1fx): %s%n", "", ratio, target,
                ratio <= target ? "met" : "MISSED");
    }

    private interface Action {
        void run() throws Exception;
    }

    private static long time(Action action) throws Exception {
        long start = System.nanoTime();
        action.run();
        return System.nanoTime() - start;
    }

    private static void cli(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed with " + process.exitValue());
        }
    }

    private static double median(long[] values) {
        return percentile(values, 0.5);
    }

    private static double percentile(long[] values, double p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        List<Long> list = new ArrayList<>();
        for (long v : sorted) {
            list.add(v);
        }
        return list.get((int) Math.min(list.size() - 1, Math.round(p * (list.size() - 1))));
    }
}
