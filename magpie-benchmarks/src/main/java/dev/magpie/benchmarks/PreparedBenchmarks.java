package dev.magpie.benchmarks;

import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.Workspaces;
import dev.magpie.sandbox.docker.DockerEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * A parallel suite of build tests on a generated C repository, with and without a prepared workspace, side by side
 * in one run: each test gets a sandbox of the repository and runs {@code make test}. Without preparation every
 * sandbox compiles the whole library; with {@code prepare("make")} the library is compiled once and every sandbox
 * starts from a copy of the built tree, so its {@code make test} only links and runs the test program. Wall time of
 * the whole suite, the preparation included, on local clones and on Docker containers (an image with gcc and make,
 * {@code magpie/debian-gcc:bookworm} by default; the Docker suite is skipped, with the reason, without it).
 * Arguments: {@code [tests=100] [threads=4] [units=24] [image]}.
 */
public final class PreparedBenchmarks {

    /** Each test: the project's tests, which must pass and say so. */
    private static final String TEST = "out=$(make -s test) && case \"$out\" in 'ok '*) ;; *) echo \"$out\" >&2;"
            + " exit 1;; esac";

    private PreparedBenchmarks() {
    }

    public static void main(String[] args) throws Exception {
        int tests = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int units = args.length > 2 ? Integer.parseInt(args[2]) : 24;
        String image = args.length > 3 ? args[3] : "magpie/debian-gcc:bookworm";
        Path work = Files.createTempDirectory("magpie-bench-prepared-");
        try {
            Path repo = CProject.generate(work.resolve("widgets"), units);
            System.out.printf(Locale.ROOT, "%d build tests (make test) on %d threads, %d C units%n", tests, threads,
                    units);
            WorkspaceSpec.Builder local = WorkspaceSpec.builder().provider(ProviderId.LOCAL).cloneFrom(repo.toString());
            compare("local clone", local, tests, threads);
            if (DockerEngine.connect(DockerEngine.DEFAULT_PROBE_TIMEOUT).hasImage(image)) {
                compare("docker", WorkspaceSpec.builder().provider(ProviderId.DOCKER).snapshot(image)
                        .cloneFrom(repo.toString()), tests, threads);
            } else {
                System.out.println("  docker: skipped, the engine has no image " + image + " (gcc, make and git;"
                        + " build it FROM magpie/debian-git:bookworm with apt-get install gcc make libc6-dev)");
            }
        } finally {
            TreeOps.delete(work);
        }
    }

    private static void compare(String provider, WorkspaceSpec.Builder spec, int tests, int threads)
            throws Exception {
        Settings system = Settings.fromSystem();
        // One instance for the whole suite: pools serve the requests made with one Settings.
        Settings pooled = Settings.builder().values(Map.of(
                Workspaces.POOL_SIZE_KEY, String.valueOf(threads),
                Workspaces.POOL_INFLIGHT_KEY, String.valueOf(threads))).build();
        // warms the JIT, the clone cache, the engine
        SuiteBenchmarks.suite(spec.build(), TEST, Math.min(tests, threads), threads, system);
        double plain = SuiteBenchmarks.suite(spec.build(), TEST, tests, threads, system);
        WorkspaceSpec prepare = spec.prepare("make -s").build();
        double prepared = SuiteBenchmarks.suite(prepare, TEST, tests, threads, system);
        double both = SuiteBenchmarks.suite(prepare, TEST, tests, threads, pooled);
        Workspaces.drainPools();
        System.out.printf(Locale.ROOT, "  %-12s no preparation %8.1f s   prepared %8.1f s (%5.2fx faster)   prepared"
                + " and pooled %8.1f s (%5.2fx faster)%n", provider, plain, prepared, plain / prepared, both,
                plain / both);
    }
}
