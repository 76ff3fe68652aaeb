package dev.magpie.benchmarks;

import dev.magpie.daytona.server.DaytonaServer;
import dev.magpie.sandbox.BackgroundProcess;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.NetworkPolicy;
import dev.magpie.sandbox.ReadyCheck;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.daytona.DaytonaClient;
import dev.magpie.sandbox.daytona.DaytonaConfig;
import dev.magpie.sandbox.daytona.DaytonaCreateRequest;
import dev.magpie.sandbox.daytona.DaytonaWorkspace;
import dev.magpie.sandbox.docker.DockerWorkspace;
import dev.magpie.sandbox.local.LocalWorkspace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The library's overhead on a background service: the time from {@code start} to {@code waitUntilReady} returning,
 * per provider and per readiness check, beside the service's own time: the same small HTTP server (Perl) started
 * with a bare {@link ProcessBuilder} in this JVM and seen ready by reading its first line from the pipe. The
 * difference is what the library adds: starting through the workspace, the readiness polls, the provider's path
 * (a container's channel, a Daytona session and its logs, the preview forward). Arguments: {@code [rounds]}
 * (default 20).
 */
public final class ServiceBenchmarks {

    private static final Duration READY = Duration.ofSeconds(60);
    private static final String SERVER = String.join(" ",
            "use IO::Socket::INET; $| = 1;",
            "my $s = IO::Socket::INET->new(LocalAddr => '0.0.0.0', LocalPort => $ARGV[0], Listen => 16,",
            "  ReuseAddr => 1) or die \"cannot listen: $!\\n\";",
            "print \"listening\\n\";",
            "while (my $c = $s->accept) { while (<$c>) { last if /^\\r?$/ }",
            "  print $c \"HTTP/1.0 200 OK\\r\\nContent-Length: 3\\r\\n\\r\\nok\\n\"; close $c }");

    private ServiceBenchmarks() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        System.out.println("A small HTTP server started, until ready (" + rounds + " rounds, each beside a bare start):");
        measure("local", () -> LocalWorkspace.temporary(Map.of()), rounds);
        measure("local isolated", () -> LocalWorkspace.temporary(Map.of(), Settings.builder().values(Map.of(
                LocalWorkspace.ISOLATION_KEY, "namespaces", NetworkPolicy.KEY, "host")).build()), rounds);
        measure("docker", () -> DockerWorkspace.builder("magpie/debian-git:bookworm").build(), rounds);
        try (DaytonaServer server = DaytonaServer.builder().startDelay(Duration.ZERO).start()) {
            DaytonaClient client = DaytonaClient.of(DaytonaConfig.builder().apiKey(server.apiKey())
                    .apiUrl(server.baseUrl()).owner("benchmarks").build());
            measure("daytona (local server)", () -> DaytonaWorkspace.create(client,
                    DaytonaCreateRequest.builder().build(), null), rounds);
        }
    }

    /** The service's own time, once: spawned bare, ready when its first line arrives through the pipe. */
    private static void bare(Measurements target) {
        int port = freePort();
        Process[] process = new Process[1];
        target.time(() -> {
            try {
                process[0] = new ProcessBuilder("perl", "-e", SERVER, Integer.toString(port)).start();
                BufferedReader out = new BufferedReader(new InputStreamReader(process[0].getInputStream(),
                        StandardCharsets.UTF_8));
                if (!"listening".equals(out.readLine())) {
                    throw new IllegalStateException("the bare server did not start");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        process[0].destroyForcibly();
    }

    private static void measure(String provider, Supplier<Workspace> create, int rounds) {
        Workspace ws;
        try {
            ws = create.get();
        } catch (WorkspaceException e) {
            System.out.println("  " + provider + ": skipped, " + e.getMessage().lines().findFirst().orElse(""));
            return;
        }
        try (ws) {
            List<Map.Entry<String, IntFunction<ReadyCheck>>> checks = List.of(
                    Map.entry("line", port -> ReadyCheck.line("^listening$")),
                    Map.entry("port", ReadyCheck::port),
                    Map.entry("http", port -> ReadyCheck.http(port, "/")));
            for (Map.Entry<String, IntFunction<ReadyCheck>> check : checks) {
                Measurements bare = new Measurements("bare ProcessBuilder, first line read");
                Measurements m = new Measurements(provider + ", start -> ready by " + check.getKey());
                for (int i = 0; i <= rounds; i++) {
                    bare(i == 0 ? new Measurements("warm-up") : bare);
                    int port = freePort();
                    BackgroundProcess[] server = new BackgroundProcess[1];
                    (i == 0 ? new Measurements("warm-up") : m).time(() -> {
                        server[0] = ws.start(ExecRequest.of("perl", "-e", SERVER, Integer.toString(port)));
                        server[0].waitUntilReady(check.getValue().apply(port), READY);
                    });
                    server[0].stop(Duration.ZERO);
                }
                System.out.println(bare.line(null));
                System.out.println(m.line(bare) + String.format(Locale.ROOT, "  overhead %.1f ms",
                        m.medianMillis() - bare.medianMillis()));
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
