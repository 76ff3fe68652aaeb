package dev.magpie.sandbox.daytona;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magpie.daytona.server.DaytonaServer;
import dev.magpie.daytona.server.Fault;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Prints the figures of the Daytona client against the local server (not a test; run it by hand):
 * <ul>
 *   <li>from the instant the server turns a sandbox {@code started} to the return of the create call (target:
 *       median at most 150 ms, with a fixed start delay of 1050 ms, half a poll interval off the 100 ms schedule);</li>
 *   <li>exec round trips of the client beside a bare OkHttp call sequence of the same endpoints (target: at most
 *       1.2x);</li>
 *   <li>what a file operation costs beside the bare toolbox call (the symlink check and the operation share one
 *       {@code process/execute});</li>
 *   <li>with a fixed 50 ms added to every request (a network round trip): requests and wall time of
 *       {@code exec("true")} and {@code readFile}, and the requests of a create whose sandbox starts in 6 s.</li>
 * </ul>
 * {@code mvn -q -pl magpie-sandbox-core -am -P daytona-benchmark verify -DskipTests}
 */
public final class DaytonaBenchmark {

    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private DaytonaBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try (DaytonaServer server = DaytonaServer.builder().startDelay(Duration.ofMillis(1050)).start()) {
            DaytonaConfig config = DaytonaConfig.builder().apiKey(server.apiKey()).apiUrl(server.baseUrl())
                    .owner("benchmark").build();
            DaytonaClient client = DaytonaClient.of(config);
            createLatency(server, client);
            roundTrips(server, client);
            server.startDelay(Duration.ZERO);
            try (DaytonaWorkspace ws = DaytonaWorkspace.create(client, DaytonaCreateRequest.builder().build(), null)) {
                OkHttpClient bare = new OkHttpClient();
                Bare b = new Bare(bare, server.apiKey(), ws.toolbox().url());
                String session = b.createSession();
                compare("exec via a kept session (workspace.exec vs bare OkHttp synchronous session exec)", 30, 200,
                        () -> time(() -> ws.exec("true")), () -> time(() -> b.sessionExec(session, "true")));
                compare("process/execute (toolbox.execute vs bare OkHttp POST)", 30, 200,
                        () -> time(() -> ws.toolbox().execute("true", null, Map.of(), null)),
                        () -> time(() -> b.execute("true")));
                ws.writeString("probe.txt", "x");
                String probe = ws.workingDir() + "/probe.txt";
                added("file operations (workspace, checked in the same request, vs the bare toolbox call)", 30, 200,
                        () -> time(() -> ws.exists("probe.txt")), () -> time(() -> ws.toolbox().exists(probe)),
                        () -> time(() -> ws.readFile("probe.txt")), () -> time(() -> ws.toolbox().download(probe)));
                bare.dispatcher().executorService().shutdown();
                bare.connectionPool().evictAll();
            }
        }
    }

    private static void createLatency(DaytonaServer server, DaytonaClient client) {
        List<Long> awaitLag = new ArrayList<>();
        List<Long> workspaceLag = new ArrayList<>();
        int rounds = 12;
        for (int i = 0; i < rounds; i++) {
            DaytonaSandbox created = client.create(DaytonaCreateRequest.builder().build());
            client.awaitStarted(created, Duration.ofSeconds(30));
            awaitLag.add(System.nanoTime() - server.startedAtNanos(created.id()).orElseThrow());
            client.delete(created.id());

            DaytonaWorkspace ws = DaytonaWorkspace.create(client, DaytonaCreateRequest.builder().build(), null);
            workspaceLag.add(System.nanoTime() - server.startedAtNanos(ws.id()).orElseThrow());
            ws.destroy();
        }
        System.out.printf("start delay %d ms, %d rounds%n", server.startDelay().toMillis(), rounds);
        System.out.printf("  started -> awaitStarted returns      median %6.1f ms  p90 %6.1f ms%n",
                ms(median(awaitLag)), ms(percentile(awaitLag, 90)));
        System.out.printf("  started -> DaytonaWorkspace.create    median %6.1f ms  p90 %6.1f ms  (target <= 150 ms: %s)%n",
                ms(median(workspaceLag)), ms(percentile(workspaceLag, 90)), median(workspaceLag) <= 150_000_000L
                        ? "met" : "MISSED");
    }

    /** Requests and wall time with a fixed delay on every request, as over a network. */
    private static void roundTrips(DaytonaServer server, DaytonaClient client) {
        Duration perRequest = Duration.ofMillis(50);
        AtomicInteger requests = new AtomicInteger();
        server.onExchange(e -> requests.incrementAndGet());
        server.inject(Fault.delay(perRequest));
        server.startDelay(Duration.ofSeconds(6));
        try {
            requests.set(0);
            DaytonaWorkspace ws = DaytonaWorkspace.create(client, DaytonaCreateRequest.builder().build(), null);
            int created = requests.get();
            try {
                requests.set(0);
                long first = time(() -> ws.exec("true"));
                int firstExec = requests.get();
                ws.writeString("probe.txt", "x");
                int rounds = 20;
                List<Long> exec = new ArrayList<>();
                List<Long> read = new ArrayList<>();
                List<Long> timed = new ArrayList<>();
                int[] counts = new int[3];
                for (int i = 0; i < rounds; i++) {
                    requests.set(0);
                    exec.add(time(() -> ws.exec("true")));
                    counts[0] += requests.getAndSet(0);
                    read.add(time(() -> ws.readFile("probe.txt")));
                    counts[1] += requests.getAndSet(0);
                    timed.add(time(() -> ws.exec(dev.magpie.sandbox.ExecRequest.builder("true")
                            .timeout(Duration.ofSeconds(30)).build())));
                    counts[2] += requests.getAndSet(0);
                }
                System.out.printf("with %d ms added to every request, %d rounds%n", perRequest.toMillis(), rounds);
                System.out.printf("  create, sandbox starting in 6 s         %5d requests  (whole create, setup included)%n",
                        created);
                System.out.printf("  first exec(\"true\") (makes a session)   %5d requests  %7.1f ms%n", firstExec,
                        ms(first));
                System.out.printf("  exec(\"true\")                          %5.1f requests  median %7.1f ms%n",
                        counts[0] / (double) rounds, ms(median(exec)));
                System.out.printf("  readFile (1 byte)                      %5.1f requests  median %7.1f ms%n",
                        counts[1] / (double) rounds, ms(median(read)));
                System.out.printf("  exec(\"true\") with a 30 s timeout       %5.1f requests  median %7.1f ms%n",
                        counts[2] / (double) rounds, ms(median(timed)));
            } finally {
                ws.destroy();
            }
        } finally {
            server.clearFaults();
            server.startDelay(Duration.ofMillis(1050));
        }
    }

    private static void compare(String what, int warmup, int rounds, LongSupplier client, LongSupplier bare) {
        for (int i = 0; i < warmup; i++) {
            client.getAsLong();
            bare.getAsLong();
        }
        List<Long> c = new ArrayList<>();
        List<Long> b = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            c.add(client.getAsLong());
            b.add(bare.getAsLong());
        }
        double ratio = (double) median(c) / median(b);
        System.out.printf("%s, %d rounds%n  client median %6.2f ms  bare median %6.2f ms  ratio %.2fx (target <= 1.2x: %s)%n",
                what, rounds, ms(median(c)), ms(median(b)), ratio, ratio <= 1.2 ? "met" : "MISSED");
    }

    /** What the symlink check ({@code realpath} through {@code process/execute}) adds to exists and to a read. */
    private static void added(String what, int warmup, int rounds, LongSupplier exists, LongSupplier bareExists,
                              LongSupplier read, LongSupplier bareRead) {
        List<List<Long>> samples = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<LongSupplier> runs = List.of(exists, bareExists, read, bareRead);
        for (int i = 0; i < warmup + rounds; i++) {
            for (int k = 0; k < runs.size(); k++) {
                long t = runs.get(k).getAsLong();
                if (i >= warmup) {
                    samples.get(k).add(t);
                }
            }
        }
        System.out.printf("%s, %d rounds%n", what, rounds);
        String[] names = {"exists", "readFile"};
        for (int k = 0; k < 2; k++) {
            long checked = median(samples.get(2 * k));
            long bare = median(samples.get(2 * k + 1));
            System.out.printf("  %-8s median %6.2f ms  bare median %6.2f ms  added %6.2f ms%n", names[k], ms(checked),
                    ms(bare), ms(checked - bare));
        }
    }

    private static long time(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return System.nanoTime() - start;
    }

    private static long median(List<Long> values) {
        return percentile(values, 50);
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    /** The same calls as the client makes, written directly against OkHttp. */
    private record Bare(OkHttpClient http, String key, String toolbox) {

        void execute(String command) {
            post("/process/execute", "{\"command\":\"" + command + "\"}");
        }

        String createSession() {
            String sid = "bare-" + UUID.randomUUID();
            post("/process/session", "{\"sessionId\":\"" + sid + "\"}");
            return sid;
        }

        void sessionExec(String sid, String command) {
            post("/process/session/" + sid + "/exec", "{\"command\":\"(cd /tmp && " + command
                    + " < /dev/null)\",\"runAsync\":false}");
        }

        private JsonNode post(String path, String body) {
            return send(new Request.Builder().url(toolbox + path).post(RequestBody.create(body, JSON_TYPE)));
        }

        private JsonNode get(String path) {
            return send(new Request.Builder().url(toolbox + path).get());
        }

        private JsonNode send(Request.Builder request) {
            Request r = request.header("Authorization", "Bearer " + key).header("X-Daytona-Source", "bench")
                    .header("X-Daytona-SDK-Version", "0.190.0").build();
            try (Response response = http.newCall(r).execute()) {
                byte[] bytes = response.body().bytes();
                return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
