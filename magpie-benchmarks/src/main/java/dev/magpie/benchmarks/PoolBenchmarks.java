package dev.magpie.benchmarks;

import dev.magpie.daytona.server.DaytonaServer;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.Workspaces;
import dev.magpie.sandbox.daytona.DaytonaConfig;
import dev.magpie.sandbox.internal.WarmPools;
import dev.magpie.sandbox.local.LocalWorkspace;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Taking a sandbox from a warm pool beside creating one, per provider, as medians measured in alternation: each
 * take from a full pool (the refill it starts ends before the next measurement), each create with pools off.
 * Targets: a take below 5 % of a create for local clones and Docker containers; below one HTTP round trip plus
 * 10 ms for Daytona on the local server. Also what a pooled sandbox holds: disk for a clone, memory and writable
 * layer for a container, disk for a sandbox of the local server. Docker is skipped without an engine and image.
 * Arguments: {@code [rounds] [dockerImage]} (defaults 20 and {@code magpie/debian-git:bookworm}).
 */
public final class PoolBenchmarks {

    private static final int POOL = 2;
    private static final Duration DEADLINE = Duration.ofMinutes(2);

    private PoolBenchmarks() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        String image = args.length > 1 ? args[1] : "magpie/debian-git:bookworm";
        Path work = Files.createTempDirectory("magpie-bench-");
        try {
            Path source = TreeOps.generateRepository(work.resolve("source"), 2000);
            WorkspaceSpec clone = WorkspaceSpec.builder().provider(ProviderId.LOCAL).cloneFrom(source.toString())
                    .build();
            compare("local clone", clone, Map.of(), rounds).print("target <= 5 %");
            Workspace sample = Workspaces.create(clone, Settings.fromSystem());
            System.out.println("  a pooled clone of 2,000 files holds " + disk(((LocalWorkspace) sample).directory())
                    + " of disk (du)");
            sample.destroy();

            docker(image, rounds);
            daytona(rounds);
        } finally {
            Workspaces.drainPools();
            TreeOps.delete(work);
        }
    }

    private static void docker(String image, int rounds) {
        WorkspaceSpec spec = WorkspaceSpec.builder().provider(ProviderId.DOCKER).snapshot(image).build();
        if (!Workspaces.provider(ProviderId.DOCKER).availability(Settings.fromSystem()).available()
                || TreeOps.run("docker", "image", "inspect", image).isEmpty()) {
            System.out.println("Docker: skipped, no engine or no image " + image);
            return;
        }
        compare("container", spec, Map.of(), rounds).print("target <= 5 %");
        Workspace sample = Workspaces.create(spec, Settings.fromSystem());
        System.out.println("  a pooled container holds " + TreeOps.run("docker", "stats", "--no-stream", "--format",
                "{{.MemUsage}}", sample.id()).orElse("?").strip() + " of memory (docker stats) and "
                + TreeOps.run("docker", "ps", "--size", "--filter", "id=" + sample.id(), "--format", "{{.Size}}")
                .orElse("?").strip() + " of writable layer");
        sample.destroy();
    }

    private static void daytona(int rounds) throws IOException, InterruptedException {
        try (DaytonaServer server = DaytonaServer.builder().startDelay(Duration.ofMillis(50)).start()) {
            Map<String, String> values = Map.of(DaytonaConfig.API_KEY, server.apiKey(), DaytonaConfig.API_URL,
                    server.baseUrl(), DaytonaConfig.OWNER, "pool-benchmark");
            WorkspaceSpec spec = WorkspaceSpec.builder().provider(ProviderId.DAYTONA).build();
            Comparison comparison = compare("daytona (local server)", spec, values, rounds);
            Measurements trip = roundTrips(server, rounds * 5);
            comparison.print(String.format(java.util.Locale.ROOT, "target < %.3f ms (a round trip + 10 ms)",
                    trip.medianMillis() + 10));
            System.out.println(trip.line(null));
            Workspace sample = Workspaces.create(spec, settings(values, "0"));
            System.out.println("  a pooled sandbox of the local server holds "
                    + disk(server.directory(sample.id()).orElseThrow()) + " of disk (du)");
            sample.destroy();
        }
    }

    /** A plain authenticated GET of the sandbox list: one HTTP round trip to the same server. */
    private static Measurements roundTrips(DaytonaServer server, int rounds) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/sandbox"))
                .header("Authorization", "Bearer " + server.apiKey()).build();
        Measurements trip = new Measurements("one HTTP round trip (GET /sandbox)");
        for (int i = 0; i < rounds; i++) {
            client.send(request, HttpResponse.BodyHandlers.discarding());
        }
        for (int i = 0; i < rounds; i++) {
            trip.time(() -> {
                try {
                    client.send(request, HttpResponse.BodyHandlers.discarding());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
        }
        return trip;
    }

    private record Comparison(Measurements create, Measurements take) {
        void print(String target) {
            System.out.println(create.line(null));
            System.out.println(take.line(create) + String.format(java.util.Locale.ROOT, " = %.3f %%   %s",
                    100 * take.medianMillis() / create.medianMillis(), target));
        }
    }

    private static Comparison compare(String what, WorkspaceSpec spec, Map<String, String> values, int rounds) {
        Settings direct = settings(values, "0");
        Settings pooled = settings(values, String.valueOf(POOL));
        Measurements create = new Measurements(what + ": create");
        Measurements take = new Measurements(what + ": take (warm pool)");
        Workspaces.create(spec, pooled).destroy(); // a spec is pooled from its second request on
        Workspaces.create(spec, pooled).destroy();
        for (int i = 0; i < rounds; i++) {
            awaitFull(spec, pooled);
            Workspace[] held = new Workspace[1];
            take.time(() -> held[0] = Workspaces.create(spec, pooled));
            held[0].destroy();
            awaitFull(spec, pooled);
            create.time(() -> held[0] = Workspaces.create(spec, direct));
            held[0].destroy();
        }
        Workspaces.drainPools();
        System.out.println("Warm pool of " + POOL + " beside a create (" + rounds + " rounds, alternated):");
        return new Comparison(create, take);
    }

    private static void awaitFull(WorkspaceSpec spec, Settings settings) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (WarmPools.ready(Workspaces.resolve(spec, settings), spec, settings) < POOL) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the pool of " + spec + " did not fill within " + DEADLINE);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static Settings settings(Map<String, String> values, String poolSize) {
        Map<String, String> all = new HashMap<>(values);
        all.put(Workspaces.POOL_SIZE_KEY, poolSize);
        return Settings.builder().values(all).build();
    }

    private static String disk(Path directory) {
        return TreeOps.run("du", "-sh", directory.toString()).map(out -> out.split("\\s+")[0]).orElse("?");
    }
}
