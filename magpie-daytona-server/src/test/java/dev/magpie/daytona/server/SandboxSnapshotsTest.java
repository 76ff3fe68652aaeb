package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
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
    void aSnapshotHoldsANamedPipeAsANamedPipeAndLeavesASocketOut() throws Exception {
        String source = createSandbox("known");
        Path home = server.directory(source).orElseThrow();
        Path pipe = home.resolve("pipe");
        assertThat(new ProcessBuilder("mkfifo", "-m", "640", pipe.toString()).inheritIO().start().waitFor()).isZero();
        HttpResponse<String> taken;
        try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            // made outside, where its path is short enough for a socket, and linked into the home
            socket.bind(UnixDomainSocketAddress.of(outside.resolve("s")));
            Files.createLink(home.resolve("agent.sock"), outside.resolve("s"));

            taken = call("POST", "/sandbox/" + source + "/snapshot", "{\"name\":\"special\"}");
        }

        assertThat(taken.statusCode()).as(taken.body()).isEqualTo(200);
        Path copy = server.directory(createSandbox("special")).orElseThrow();
        assertThat(new ProcessBuilder("sh", "-c", "[ -p \"$1\" ]", "sh", copy.resolve("pipe").toString())
                .inheritIO().start().waitFor()).as("the copy's pipe is a named pipe").isZero();
        assertThat(Files.getPosixFilePermissions(copy.resolve("pipe"), LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
        assertThat(copy.resolve("agent.sock")).doesNotExist();
    }

    @Test
    void aCopyThatCannotBeWrittenSaysWhatToDoWithNoPathOfThisMachine(@TempDir Path root) throws Exception {
        server.close();
        server = DaytonaServer.builder().apiKey("test-key").startDelay(Duration.ZERO).snapshot("known")
                .root(root).start();
        String source = createSandbox("known");
        Files.writeString(root.resolve(".snapshots"), "where the server keeps snapshots, a file");

        HttpResponse<String> failed = call("POST", "/sandbox/" + source + "/snapshot", "{\"name\":\"broken\"}");

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(failed.body()).path("message").asText())
                .contains("could not write the copy", "take the snapshot again")
                .doesNotContain(root.toString());
        assertThat(call("GET", "/snapshots/broken", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aFileTheServerCannotReadIsNamedAsTheSandboxSeesItWithNoPathOfThisMachine() throws Exception {
        String source = createSandbox("known");
        Path home = server.directory(source).orElseThrow();
        Path locked = Files.writeString(home.resolve("locked.txt"), "no one reads this");
        Files.setPosixFilePermissions(locked, Set.of());
        assumeFalse(Files.isReadable(locked), "the server's user reads a file of mode 000 here (root does)");

        HttpResponse<String> failed = call("POST", "/sandbox/" + source + "/snapshot", "{\"name\":\"broken\"}");

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(failed.body()).path("message").asText())
                .contains("/home/daytona/locked.txt", "take the snapshot again")
                .doesNotContain(home.getParent().getParent().toString());
        assertThat(call("GET", "/snapshots/broken", null).statusCode()).isEqualTo(404);
    }
}
