package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sandbox's processes plant symlinks to another sandbox and to outside the server's root; the file routes and the
 * deletion of sandboxes must touch nothing but the sandbox's own home, over real HTTP.
 */
class SandboxConfinementTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static DaytonaServer server;

    @TempDir
    Path outside;

    Path readOnly;

    @BeforeAll
    static void start() {
        server = DaytonaServer.builder().apiKey("test-key").startDelay(Duration.ZERO).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void plantOutside() throws Exception {
        Files.writeString(outside.resolve("secret.txt"), "outside secret");
        Files.createDirectories(outside.resolve("victim"));
        Files.writeString(outside.resolve("victim/keep.txt"), "keep");
        readOnly = Files.writeString(outside.resolve("read-only.txt"), "read only");
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r--r--r--"));
    }

    @AfterEach
    void clean() {
        server.deleteAllSandboxes();
    }

    @Test
    void fileRoutesServeOnlyTheSandboxHome() throws Exception {
        String peer = sandbox();
        exec(peer, "echo peer secret > secret.txt");
        String id = sandbox();
        Path peerHome = server.directory(peer).orElseThrow();
        exec(id, "ln -s '" + peerHome + "' peer && ln -s '" + outside + "' out && mkdir own && echo mine > own/a.txt");

        List<String> escaped = new ArrayList<>();
        List<String> tried = new ArrayList<>();
        attack(tried, escaped, "download through a link to a peer",
                () -> !get(id, "files/download?path=peer/secret.txt").body().contains("peer secret"));
        attack(tried, escaped, "download through a link to outside",
                () -> !get(id, "files/download?path=out/secret.txt").body().contains("outside secret"));
        attack(tried, escaped, "list through a link to outside",
                () -> !get(id, "files?path=out").body().contains("secret.txt"));
        attack(tried, escaped, "info through a link to outside",
                () -> get(id, "files/info?path=out/secret.txt").statusCode() != 200);
        attack(tried, escaped, "upload through a link to outside", () -> {
            upload(id, "out/planted.txt");
            return Files.notExists(outside.resolve("planted.txt"));
        });
        attack(tried, escaped, "folder through a link to outside", () -> {
            call("POST", id, "files/folder?path=out/made&mode=0755", HttpRequest.BodyPublishers.noBody());
            return Files.notExists(outside.resolve("made"));
        });
        attack(tried, escaped, "recursive delete through a link to outside", () -> {
            call("DELETE", id, "files?path=out/victim&recursive=true", HttpRequest.BodyPublishers.noBody());
            return Files.exists(outside.resolve("victim/keep.txt"));
        });
        attack(tried, escaped, "delete through a link to a peer", () -> {
            call("DELETE", id, "files?path=peer/secret.txt", HttpRequest.BodyPublishers.noBody());
            return Files.exists(peerHome.resolve("secret.txt"));
        });
        attack(tried, escaped, "list the bookkeeping directory with ..",
                () -> get(id, "files?path=..").statusCode() != 200);
        attack(tried, escaped, "upload into the bookkeeping directory", () -> {
            upload(id, "../planted.txt");
            return Files.notExists(server.directory(id).orElseThrow().resolveSibling("planted.txt"));
        });

        assertThat(escaped).as("attacks that escaped the home, of %d tried: %s", tried.size(), tried).isEmpty();
        assertThat(get(id, "files/download?path=own/a.txt").body()).isEqualTo("mine\n");
        assertThat(get(id, "files/download?path=out/secret.txt").statusCode()).isEqualTo(403);
        assertThat(get(id, "files?path=..").statusCode()).isEqualTo(403);
    }

    @Test
    void deletingASandboxLeavesTheModesOfLinkedFilesAlone() throws Exception {
        String id = sandbox();
        exec(id, "ln -s '" + readOnly + "' link && mkdir -p sub && ln -s '" + readOnly + "' sub/link"
                + " && ln -s '" + outside + "' dir-link && chmod a-w sub");

        assertThat(call("DELETE", null, "/api/sandbox/" + id, HttpRequest.BodyPublishers.noBody()).statusCode())
                .isEqualTo(200);

        assertThat(server.directory(id)).isEmpty();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(readOnly))).isEqualTo("r--r--r--");
        assertThat(outside.resolve("victim/keep.txt")).exists();
    }

    @Test
    void sweepingAStaleRootLeavesTheModesOfLinkedFilesAlone(@TempDir Path parent) throws Exception {
        Path stale = Files.createDirectories(parent.resolve("magpie-daytona-999999999-1-x/sbx/home"));
        Files.createSymbolicLink(stale.resolve("link"), readOnly);
        Files.createSymbolicLink(stale.resolve("dir-link"), outside);

        assertThat(TempRoots.sweep(parent)).hasSize(1);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(readOnly))).isEqualTo("r--r--r--");
        assertThat(outside.resolve("victim/keep.txt")).exists();
    }

    private interface Attack {
        boolean held() throws Exception;
    }

    private static void attack(List<String> tried, List<String> escaped, String name, Attack attack)
            throws Exception {
        tried.add(name);
        if (!attack.held()) {
            escaped.add(name);
        }
    }

    private static String sandbox() throws Exception {
        HttpResponse<String> created = call("POST", null, "/api/sandbox", HttpRequest.BodyPublishers.ofString("{}"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        return JSON.readTree(created.body()).path("id").asText();
    }

    private static void exec(String id, String command) throws Exception {
        String body = JSON.writeValueAsString(java.util.Map.of("command", command));
        HttpResponse<String> reply = call("POST", id, "process/execute", HttpRequest.BodyPublishers.ofString(body));
        JsonNode result = JSON.readTree(reply.body());
        assertThat(result.path("exitCode").asInt()).as(reply.body()).isZero();
    }

    private static HttpResponse<String> get(String id, String route) throws Exception {
        return call("GET", id, route, HttpRequest.BodyPublishers.noBody());
    }

    private static void upload(String id, String path) throws Exception {
        String boundary = "magpie-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files[0].path\"\r\n\r\n"
                + path + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"files[0].file\";"
                + " filename=\"f\"\r\nContent-Type: application/octet-stream\r\n\r\nplanted\r\n--" + boundary
                + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri(id, "files/bulk-upload"))
                .header("Authorization", "Bearer test-key")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A control-plane call when {@code id} is null, else a toolbox call of that sandbox. */
    private static HttpResponse<String> call(String method, String id, String route,
                                             HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(id, route)).header("Authorization", "Bearer test-key")
                .header("Content-Type", "application/json").method(method, body).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String id, String route) {
        String base = "http://127.0.0.1:" + server.port();
        return URI.create(id == null ? base + route : base + "/toolbox/" + id + "/" + route);
    }
}
