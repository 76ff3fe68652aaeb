package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots taken from sandboxes, over raw HTTP: what they hold, how they are described and deleted. */
class SandboxSnapshotsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private DaytonaServer server;

    @TempDir
    Path outside;

    @BeforeEach
    void start() {
        server = DaytonaServer.builder().apiKey("test-key").startDelay(Duration.ZERO).snapshot("known").start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return HTTP.send(request(method, path, body), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String method, String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api" + path))
                .header("Authorization", "Bearer test-key").header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private String createSandbox(String snapshot) throws Exception {
        HttpResponse<String> created = call("POST", "/sandbox", "{\"snapshot\":\"" + snapshot + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        return JSON.readTree(created.body()).get("id").asText();
    }

    @Test
    void aSnapshotHoldsTheSandboxsFilesAndItsLinksAsLinksNeverWhatTheyPointAt() throws Exception {
        Path secret = Files.writeString(outside.resolve("secret.txt"), "host secret\n");
        String source = createSandbox("known");
        Path home = server.directory(source).orElseThrow();
        Files.writeString(home.resolve("built.txt"), "prepared\n");
        Files.createSymbolicLink(home.resolve("leak"), secret);

        HttpResponse<String> taken = call("POST", "/sandbox/" + source + "/snapshot", "{\"name\":\"prepared-1\"}");
        assertThat(taken.statusCode()).as(taken.body()).isEqualTo(200);
        JsonNode described = JSON.readTree(call("GET", "/snapshots/prepared-1", null).body());
        assertThat(described.get("state").asText()).isEqualTo("active");
        assertThat(described.get("sourceSandboxId").asText()).isEqualTo(source);

        Path copy = server.directory(createSandbox("prepared-1")).orElseThrow();
        assertThat(copy.resolve("built.txt")).hasContent("prepared");
        assertThat(Files.isSymbolicLink(copy.resolve("leak"))).isTrue();
        assertThat(Files.readSymbolicLink(copy.resolve("leak"))).isEqualTo(secret);
    }

    @Test
    void aTakenSnapshotIsListedAndDeletedAndANameIsTakenOnce() throws Exception {
        String source = createSandbox("known");
        assertThat(call("POST", "/sandbox/" + source + "/snapshot", "{\"name\":\"prepared-2\"}").statusCode())
                .isEqualTo(200);
        assertThat(call("POST", "/sandbox/" + source + "/snapshot", "{\"name\":\"prepared-2\"}").statusCode())
                .isEqualTo(409);
        assertThat(JSON.readTree(call("GET", "/snapshots", null).body()).get("items").findValuesAsText("name"))
                .contains("prepared-2", "known");

        assertThat(call("DELETE", "/snapshots/prepared-2", null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/snapshots/prepared-2", null).statusCode()).isEqualTo(404);
        assertThat(call("POST", "/sandbox", "{\"snapshot\":\"prepared-2\"}").statusCode()).isEqualTo(404);
        assertThat(call("DELETE", "/snapshots/known", null).statusCode()).isEqualTo(403);
    }

    @Test
    void aCopyThatFailsSaysWhichFileOfTheSandboxAndWhatToDoWithNoPathOfThisMachine() throws Exception {
        String source = createSandbox("known");
        Path home = server.directory(source).orElseThrow();
        HttpResponse<String> failed;
        try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            // a file no copy can read; made outside, where its path is short enough for a socket
            socket.bind(UnixDomainSocketAddress.of(outside.resolve("s")));
            Files.createLink(home.resolve("agent.sock"), outside.resolve("s"));

            failed = call("POST", "/sandbox/" + source + "/snapshot", "{\"name\":\"broken\"}");
        }

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(failed.body()).path("message").asText())
                .contains("/home/daytona/agent.sock", "take the snapshot again")
                .doesNotContain(home.getParent().getParent().toString());
        assertThat(call("GET", "/snapshots/broken", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aCopyThatDoesNotEndHoldsUpNoSnapshotOfAnotherName() throws Exception {
        String stuck = createSandbox("known");
        Path pipe = server.directory(stuck).orElseThrow().resolve("pipe");
        assertThat(new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start().waitFor()).isZero();
        String other = createSandbox("known");
        CompletableFuture<HttpResponse<String>> waiting = HTTP.sendAsync(request("POST", "/sandbox/" + stuck
                + "/snapshot", "{\"name\":\"waiting\"}"), HttpResponse.BodyHandlers.ofString());
        try {
            awaitCopyBegun(pipe.getParent().getParent().getParent().resolve(".snapshots"), waiting);

            HttpResponse<String> other1 = call("POST", "/sandbox/" + other + "/snapshot", "{\"name\":\"other-1\"}");

            assertThat(other1.statusCode()).as(other1.body()).isEqualTo(200);
            assertThat(waiting).as("the copy still reading a pipe no one writes").isNotDone();
        } finally {
            if (!waiting.isDone()) {
                try (OutputStream writer = Files.newOutputStream(pipe)) {
                    // closed at once: the copy reads an empty pipe and ends
                }
            }
        }
        assertThat(waiting.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    /** Waits until the copy made its directory, and reads the pipe; fails early when the request ended first. */
    private static void awaitCopyBegun(Path snapshots, CompletableFuture<HttpResponse<String>> waiting)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.isDirectory(snapshots) || isEmpty(snapshots)) {
            if (waiting.isDone()) {
                throw new AssertionError("the snapshot ended before its copy was seen: " + waiting.get().body());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no copy began under " + snapshots + " within 30 s");
            }
            Thread.sleep(10);
        }
    }

    private static boolean isEmpty(Path directory) throws Exception {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        }
    }
}
