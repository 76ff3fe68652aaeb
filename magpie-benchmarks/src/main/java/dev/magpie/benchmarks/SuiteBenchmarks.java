package dev.magpie.benchmarks;

import dev.magpie.daytona.server.DaytonaServer;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.Workspaces;
import dev.magpie.sandbox.daytona.DaytonaConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A parallel suite with and without warm pools, side by side: {@code tests} tests on {@code threads} threads, each
 * taking its own sandbox of a generated C project and running its build there, then destroying it. Local clones run
 * {@code make test} (the host's compiler); containers of the test image, which has no compiler, run the project's
 * shell check instead; sandboxes of the local Daytona server, which start after a second as a remote one does, run
 * {@code make test} on the project baked into their snapshot. Wall time of the whole suite, pools off and then on
 * ({@code magpie.pool.size} and {@code magpie.pool.inflight} = threads).
 * Arguments: {@code [tests] [threads] [dockerImage]} (defaults 100, 4, {@code magpie/debian-git:bookworm}).
 */
public final class SuiteBenchmarks {

    private SuiteBenchmarks() {
    }

    public static void main(String[] args) throws Exception {
        int tests = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        String image = args.length > 2 ? args[2] : "magpie/debian-git:bookworm";
        Path work = Files.createTempDirectory("magpie-bench-");
        try {
            Path project = cProject(work.resolve("widgets"));
            compare("local clones, make test", WorkspaceSpec.builder().provider(ProviderId.LOCAL)
                    .cloneFrom(project.toString()).build(), "make -s test", tests, threads);
            if (Workspaces.provider(ProviderId.DOCKER).availability(Settings.fromSystem()).available()
                    && TreeOps.run("docker", "image", "inspect", image).isPresent()) {
                WorkspaceSpec container = WorkspaceSpec.builder().provider(ProviderId.DOCKER).snapshot(image)
                        .cloneFrom(project.toString()).build();
                compare("containers, sh check.sh", container, "sh check.sh", tests, threads);
            } else {
                System.out.println("Docker: skipped, no engine or no image " + image);
            }
            daytona(work, tests, threads);
        } finally {
            Workspaces.drainPools();
            TreeOps.delete(work);
        }
    }

    /** Sandboxes of the local server that take a second to start, as a remote one does, with the project inside. */
    private static void daytona(Path work, int tests, int threads) throws Exception {
        try (DaytonaServer server = DaytonaServer.builder().startDelay(Duration.ofSeconds(1))
                .snapshot("widgets:1", work).start()) {
            Map<String, String> values = Map.of(DaytonaConfig.API_KEY, server.apiKey(), DaytonaConfig.API_URL,
                    server.baseUrl(), DaytonaConfig.OWNER, "suite-benchmark");
            compare("daytona (local server, 1 s start), make test", WorkspaceSpec.builder()
                    .provider(ProviderId.DAYTONA).snapshot("widgets:1").build(), "cd widgets && make -s test", tests,
                    threads, values);
        }
    }

    private static void compare(String what, WorkspaceSpec spec, String build, int tests, int threads)
            throws Exception {
        compare(what, spec, build, tests, threads, Map.of());
    }

    private static void compare(String what, WorkspaceSpec spec, String build, int tests, int threads,
            Map<String, String> values) throws Exception {
        Settings off = settings(values, Map.of(Workspaces.POOL_SIZE_KEY, "0"));
        Settings on = settings(values, Map.of(Workspaces.POOL_SIZE_KEY, String.valueOf(threads),
                Workspaces.POOL_INFLIGHT_KEY, String.valueOf(threads)));
        suite(spec, build, Math.max(4, tests / 10), threads, off); // warms the JIT, the clone cache and the engine
        double without = suite(spec, build, tests, threads, off);
        double with = suite(spec, build, tests, threads, on);
        Workspaces.drainPools();
        System.out.printf(Locale.ROOT, "Suite of %d tests on %d threads, %s:%n", tests, threads, what);
        System.out.printf(Locale.ROOT, "  %-28s wall %8.2f s%n", "without pools", without);
        System.out.printf(Locale.ROOT, "  %-28s wall %8.2f s  %5.2fx faster%n", "warm pool of " + threads, with,
                without / with);
    }

    private static Settings settings(Map<String, String> values, Map<String, String> pool) {
        Map<String, String> all = new java.util.HashMap<>(values);
        all.putAll(pool);
        return Settings.builder().values(all).build();
    }

    /**
     * Seconds of wall time for the whole suite: {@code tests} sandboxes of the spec, on {@code threads} threads, each
     * running the shell command {@code build}; a failed build fails the benchmark.
     */
    static double suite(WorkspaceSpec spec, String build, int tests, int threads, Settings settings)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < tests; i++) {
                results.add(pool.submit(() -> {
                    try (Workspace sandbox = Workspaces.create(spec, settings)) {
                        ExecResult result = sandbox.exec(ExecRequest.builder("sh", "-c", build)
                                .timeout(Duration.ofMinutes(10)).build());
                        if (!result.succeeded()) {
                            throw new IllegalStateException(build + " failed in " + sandbox + ":\n"
                                    + result.stderrTail(20));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get();
            }
            return (System.nanoTime() - start) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A small C library with a test program, a Makefile and a shell check, in one commit. */
    private static Path cProject(Path dir) {
        try {
            Files.createDirectories(dir.resolve("src"));
            for (int i = 0; i < 8; i++) {
                Files.writeString(dir.resolve("src/part" + i + ".c"), "int part" + i + "(int x) { return x * " + (i + 2)
                        + " + " + i + "; }\n");
            }
            StringBuilder test = new StringBuilder("#include <stdio.h>\n");
            StringBuilder sum = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                test.append("int part").append(i).append("(int);\n");
                sum.append(" + part").append(i).append("(3)");
            }
            test.append("int main(void) { int s = 0").append(sum).append("; printf(\"%d\\n\", s); return s > 0 ? 0 : 1; }\n");
            Files.writeString(dir.resolve("src/test.c"), test.toString());
            Files.writeString(dir.resolve("Makefile"), "test: build/test\n\t./build/test\n\n"
                    + "build/test: src/*.c\n\tmkdir -p build\n\tcc -O1 -o build/test src/*.c\n");
            Files.writeString(dir.resolve("check.sh"), "set -e\nfor f in src/*.c; do grep -q 'int' \"$f\"; done\n"
                    + "sha256sum src/*.c > build.sums\ngit status --porcelain >/dev/null\n");
            TreeOps.git(dir, "init", "--quiet", "--initial-branch=main");
            TreeOps.git(dir, "add", "-A");
            TreeOps.git(dir, "commit", "--quiet", "-m", "widgets");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
