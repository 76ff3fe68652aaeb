package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magpie.daytona.server.contract.ContractValidator;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The server over raw HTTP, as any Daytona client would see it; its replies are checked against the specs. */
class DaytonaServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<RecordedExchange> EXCHANGES = new CopyOnWriteArrayList<>();
    private static DaytonaServer server;

    @BeforeAll
    static void start() {
        server = DaytonaServer.builder().apiKey("test-key").startDelay(Duration.ofMillis(100)).snapshot("known")
                .start();
        server.onExchange(EXCHANGES::add);
    }

    @AfterEach
    void clean() {
        server.clearFaults();
        server.deleteAllSandboxes();
    }

    @AfterAll
    static void stopAndCheckContract() {
        server.close();
        Path root = Path.of(System.getProperty("magpie.project.root", ".."));
        Optional<Path> specs = ContractValidator.locateForTestRun(root);
        if (specs.isEmpty()) {
            System.err.println("DaytonaServerTest: replies not checked against the specs: "
                    + ContractValidator.missing(root));
            return;
        }
        ContractValidator validator = ContractValidator.load(specs.get());
        List<String> problems = new ArrayList<>();
        EXCHANGES.forEach(e -> problems.addAll(validator.validate(e, false)));
        assertThat(problems).isEmpty();
    }

    private static HttpResponse<String> call(String method, String path, String body) throws Exception {
        return call(method, path, body, "test-key");
    }

    private static HttpResponse<String> call(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + key).header("X-Daytona-Source", "test")
                .header("X-Daytona-SDK-Version", "0.190.0")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static String started(String body) throws Exception {
        String id = json(call("POST", "/api/sandbox", body)).path("id").asText();
        String state = settled(id).path("state").asText();
        assertThat(state).as("state of sandbox %s after its start", id).isEqualTo("started");
        return id;
    }

    /** The sandbox once it left creating and starting; waits for the start delay, however loaded the machine. */
    private static JsonNode settled(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode sandbox = json(call("GET", "/api/sandbox/" + id, null));
        while (Set.of("creating", "starting").contains(sandbox.path("state").asText())) {
            if (System.nanoTime() > deadline) {
                fail("Sandbox " + id + " still " + sandbox.path("state").asText() + " 10 s after its create");
            }
            Thread.sleep(20);
            sandbox = json(call("GET", "/api/sandbox/" + id, null));
        }
        return sandbox;
    }

    @Test
    void movesThroughCreatingToStartedAndPointsTheToolboxAtItself() throws Exception {
        HttpResponse<String> created = call("POST", "/api/sandbox", "{\"labels\":{\"team\":\"a\"}}");

        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(json(created).path("state").asText()).isEqualTo("creating");
        assertThat(json(created).path("toolboxProxyUrl").asText()).isEqualTo(server.toolboxProxyUrl());
        assertThat(created.headers().firstValue("X-RateLimit-Remaining-sandbox-create")).isPresent();
        String id = json(created).path("id").asText();
        assertThat(settled(id).path("state").asText()).isEqualTo("started");
        assertThat(json(call("GET", "/api/sandbox/" + id + "/toolbox-proxy-url", null)).path("url").asText())
                .isEqualTo(server.toolboxProxyUrl());
    }

    @Test
    void theToolboxUrlFollowsTheHostTheClientUsed() throws Exception {
        String id = json(call("POST", "/api/sandbox", "{}")).path("id").asText();
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(("GET /api/sandbox/" + id + " HTTP/1.1\r\nHost: sandbox-host.test:8443\r\n"
                    + "Authorization: Bearer test-key\r\nX-Daytona-Source: t\r\nX-Daytona-SDK-Version: 0.190.0\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(reply).contains("\"toolboxProxyUrl\":\"http://sandbox-host.test:8443/toolbox\"");
        }
    }

    @Test
    void checksTheBearerKeyWithTheDocumentedErrorBody() throws Exception {
        HttpResponse<String> refused = call("GET", "/api/sandbox", null, "wrong");

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(json(refused).path("statusCode").asInt()).isEqualTo(401);
        assertThat(json(refused).path("message").asText()).isEqualTo("Invalid credentials");
        assertThat(json(refused).has("timestamp")).isTrue();
        assertThat(call("GET", "/toolbox/x/work-dir", null, "wrong").statusCode()).isEqualTo(401);
    }

    @Test
    void refusesUnknownSnapshotsResourcesWithASnapshotAndTakenNames() throws Exception {
        assertThat(call("POST", "/api/sandbox", "{\"snapshot\":\"nope\"}").statusCode()).isEqualTo(404);
        assertThat(json(call("POST", "/api/sandbox", "{\"snapshot\":\"nope\"}")).path("message").asText())
                .contains("Snapshot nope not found");
        assertThat(call("POST", "/api/sandbox", "{\"snapshot\":\"known\",\"cpu\":2}").statusCode()).isEqualTo(400);
        assertThat(call("POST", "/api/sandbox", "{\"snapshot\":\"known\",\"name\":\"n1\"}").statusCode()).isEqualTo(200);
        assertThat(call("POST", "/api/sandbox", "{\"name\":\"n1\"}").statusCode()).isEqualTo(409);
        assertThat(call("GET", "/api/sandbox/n1", null).statusCode()).isEqualTo(200);
    }

    @Test
    void listsByLabelsInPages() throws Exception {
        call("POST", "/api/sandbox", "{\"labels\":{\"k\":\"1\"}}");
        call("POST", "/api/sandbox", "{\"labels\":{\"k\":\"1\"}}");
        call("POST", "/api/sandbox", "{\"labels\":{\"k\":\"2\"}}");
        String filter = URLEncoder.encode("{\"k\":\"1\"}", StandardCharsets.UTF_8);

        JsonNode first = json(call("GET", "/api/sandbox?limit=1&labels=" + filter, null));
        JsonNode second = json(call("GET", "/api/sandbox?limit=1&labels=" + filter + "&cursor="
                + first.path("nextCursor").asText(), null));

        assertThat(first.path("items")).hasSize(1);
        assertThat(second.path("items")).hasSize(1);
        assertThat(second.path("nextCursor").isNull()).isTrue();
        assertThat(json(call("GET", "/api/sandbox", null)).path("items")).hasSize(3);
    }

    @Test
    void deleteKillsTheSandboxProcessesAndRemovesItsDirectory() throws Exception {
        String id = started("{}");
        Path dir = server.directory(id).orElseThrow();
        call("POST", "/toolbox/" + id + "/process/session", "{\"sessionId\":\"s\"}");
        call("POST", "/toolbox/" + id + "/process/session/s/exec", "{\"command\":\"sleep 30\",\"runAsync\":true}");

        assertThat(call("DELETE", "/api/sandbox/" + id, null).statusCode()).isEqualTo(200);

        assertThat(call("GET", "/api/sandbox/" + id, null).statusCode()).isEqualTo(404);
        assertThat(Files.exists(dir)).isFalse();
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("sleep 30")
                && p.parent().map(pp -> pp.pid() == ProcessHandle.current().pid()).orElse(false))).isEmpty();
    }

    @Test
    void executesWithMergedOutputAndTimesOutWith408() throws Exception {
        String id = started("{\"env\":{\"WHO\":\"env\"}}");

        JsonNode ok = json(call("POST", "/toolbox/" + id + "/process/execute",
                "{\"command\":\"echo $WHO $X; echo e >&2; exit 4\",\"envs\":{\"X\":\"y\"}}"));
        HttpResponse<String> slow = call("POST", "/toolbox/" + id + "/process/execute",
                "{\"command\":\"sleep 5\",\"timeout\":1}");

        assertThat(ok.path("exitCode").asInt()).isEqualTo(4);
        assertThat(ok.path("result").asText()).isEqualTo("env y\ne\n");
        assertThat(slow.statusCode()).isEqualTo(408);
        assertThat(json(slow).path("code").asText()).isEqualTo("PROCESS_EXECUTION_TIMEOUT");
    }

    @Test
    void sessionLogsAreJsonOnlyForNewSdks() throws Exception {
        String id = started("{}");
        String base = "/toolbox/" + id + "/process/session";
        assertThat(call("POST", base, "{\"sessionId\":\"s1\"}").statusCode()).isEqualTo(201);
        assertThat(call("POST", base, "{\"sessionId\":\"s1\"}").statusCode()).isEqualTo(409);
        JsonNode sync = json(call("POST", base + "/s1/exec", "{\"command\":\"echo o; echo e >&2\"}"));
        String cmd = sync.path("cmdId").asText();

        JsonNode logs = json(call("GET", base + "/s1/command/" + cmd + "/logs", null));
        HttpResponse<String> old = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + base + "/s1/command/" + cmd + "/logs")).header("Authorization", "Bearer test-key").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(sync.path("exitCode").asInt()).isZero();
        assertThat(logs.path("stdout").asText()).isEqualTo("o\n");
        assertThat(logs.path("stderr").asText()).isEqualTo("e\n");
        assertThat(logs.path("output").asText()).contains("\u0001\u0001\u0001o\n").contains("\u0002\u0002\u0002e\n");
        assertThat(old.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(call("DELETE", base + "/s1", null).statusCode()).isEqualTo(204);
        assertThat(call("GET", base + "/s1", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aSessionKeepsTheDirectoryAndExportsOfItsCommands() throws Exception {
        String id = started("{}");
        String base = "/toolbox/" + id + "/process/session";
        call("POST", base, "{\"sessionId\":\"shell\"}");
        call("POST", base + "/shell/exec", "{\"command\":\"mkdir -p sub && cd sub && export GREETING='hi there'\"}");

        JsonNode next = json(call("POST", base + "/shell/exec", "{\"command\":\"pwd; echo $GREETING; exit 7\"}"));

        assertThat(next.path("stdout").asText()).isEqualTo(server.isolation().equals("namespaces")
                ? "/home/daytona/sub\nhi there\n" : server.directory(id).orElseThrow().resolve("sub") + "\nhi there\n");
        assertThat(next.path("exitCode").asInt()).isEqualTo(7);
    }

    @Test
    void filesStayInsideTheSandbox() throws Exception {
        String id = started("{}");
        assertThat(call("GET", "/toolbox/" + id + "/files/download?path=/etc/hostname", null).statusCode())
                .isEqualTo(403);
        assertThat(call("GET", "/toolbox/" + id + "/files/download?path=missing", null).statusCode()).isEqualTo(404);
        assertThat(json(call("GET", "/toolbox/" + id + "/work-dir", null)).path("dir").asText())
                .isEqualTo("/home/daytona");
    }

    @Test
    void injectedFaultsApplyAsArmed() throws Exception {
        server.inject(Fault.status(500).on("GET", "/api/sandbox").times(2));
        server.inject(Fault.rateLimited("sandbox-create", 7));

        assertThat(call("GET", "/api/sandbox", null).statusCode()).isEqualTo(500);
        assertThat(call("GET", "/api/sandbox", null).statusCode()).isEqualTo(500);
        assertThat(call("GET", "/api/sandbox", null).statusCode()).isEqualTo(200);
        HttpResponse<String> limited = call("POST", "/api/sandbox", "{}");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After-sandbox-create")).contains("7");
        assertThat(server.pendingFaults()).isEmpty();
    }

    @Test
    void aDroppedReplyStillCreatesTheSandbox() {
        server.inject(Fault.dropReply().on("POST", "/api/sandbox"));

        assertThatThrownBy(() -> call("POST", "/api/sandbox", "{}")).isInstanceOf(IOException.class);
        assertThat(server.sandboxIds()).hasSize(1);
    }

    @Test
    void aStartErrorEndsInErrorWithTheReason() throws Exception {
        server.inject(Fault.startError("disk full"));
        String id = json(call("POST", "/api/sandbox", "{}")).path("id").asText();

        JsonNode sandbox = settled(id);
        assertThat(sandbox.path("state").asText()).isEqualTo("error");
        assertThat(sandbox.path("errorReason").asText()).isEqualTo("disk full");
        assertThat(call("GET", "/toolbox/" + id + "/work-dir", null).statusCode()).isEqualTo(409);
    }

    @Test
    void countsRequestsPerBucket() {
        try (DaytonaServer limited = DaytonaServer.builder().rateLimitPerMinute(2).start()) {
            HttpRequest get = HttpRequest.newBuilder(URI.create(limited.baseUrl() + "/sandbox"))
                    .header("Authorization", "Bearer " + limited.apiKey()).build();
            List<Integer> codes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                codes.add(HTTP.send(get, HttpResponse.BodyHandlers.discarding()).statusCode());
            }
            assertThat(codes).containsExactly(200, 200, 429);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
