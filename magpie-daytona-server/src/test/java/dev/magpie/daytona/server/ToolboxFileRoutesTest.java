package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file routes the SDK's scenarios do not reach: upload-v2, malformed bulk downloads, the name glob's rules, and
 * symlinks planted in the sandbox that lead outside, which no route follows.
 */
class ToolboxFileRoutesTest {

    private static DaytonaServer server;
    private static ServerCalls calls;
    private static String id;
    private static Path home;

    @TempDir
    static Path outside;

    @BeforeAll
    static void startSandbox() throws Exception {
        server = DaytonaServer.builder().startDelay(Duration.ZERO).start();
        calls = new ServerCalls(server);
        id = calls.started("{}");
        home = server.directory(id).orElseThrow();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void uploadV2TakesAMultipartPartOrTheRawBody() throws Exception {
        byte[] bytes = {0, 1, 2, (byte) 0xFF, '\r', '\n'};
        String boundary = "magpie-boundary";
        ByteArrayOutputStream multipart = new ByteArrayOutputStream();
        multipart.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\""
                + "\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        multipart.writeBytes(bytes);
        multipart.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));

        HttpResponse<String> part = upload("up/a.bin", "multipart/form-data; boundary=" + boundary,
                multipart.toByteArray());
        HttpResponse<String> raw = upload("up/raw.bin", "application/octet-stream", bytes);

        assertThat(part.statusCode()).as(part.body()).isEqualTo(200);
        JsonNode uploaded = ServerCalls.JSON.readTree(part.body());
        assertThat(uploaded.path("name").asText()).isEqualTo("a.bin");
        assertThat(uploaded.path("path").asText()).isEqualTo("/home/daytona/up/a.bin");
        assertThat(home.resolve("up/a.bin")).hasBinaryContent(bytes);
        assertThat(raw.statusCode()).as(raw.body()).isEqualTo(200);
        assertThat(home.resolve("up/raw.bin")).hasBinaryContent(bytes);
        assertThat(upload("", "application/octet-stream", bytes).statusCode()).isEqualTo(400);
        assertThat(upload("../escaped.bin", "application/octet-stream", bytes).statusCode()).isEqualTo(403);
        assertThat(home.resolveSibling("escaped.bin")).doesNotExist();
    }

    @Test
    void aMalformedBulkDownloadIsABadRequest() throws Exception {
        for (String body : List.of("{}", "{\"paths\":[]}", "{\"paths\":[1]}", "{\"paths\":\"a\"}", "not json")) {
            HttpResponse<String> reply = calls.call("POST", box("files/bulk-download"), body);
            assertThat(reply.statusCode()).as(body + " -> " + reply.body()).isEqualTo(400);
        }
    }

    @Test
    void searchMatchesNamesByTheDaemonsGlobRules() throws Exception {
        Path dir = Files.createDirectories(home.resolve("glob"));
        for (String name : List.of("a.txt", "b.md", "[x].txt", "c.TXT", "d.txt.bak")) {
            Files.writeString(dir.resolve(name), name);
        }

        assertThat(search("glob", "*.txt")).containsExactly("glob/[x].txt", "glob/a.txt");
        assertThat(search("glob", "[ab].*")).containsExactly("glob/a.txt", "glob/b.md");
        assertThat(search("glob", "[^ab].*")).containsExactly("glob/c.TXT", "glob/d.txt.bak");
        assertThat(search("glob", "\\[x\\].txt")).containsExactly("glob/[x].txt");
        assertThat(search("glob", "?.md")).containsExactly("glob/b.md");
        assertThat(search("glob", "[a")).isEmpty();
        assertThat(search("./glob/", "glob")).containsExactly("./glob/");
    }

    @Test
    void findSkipsBinaryFilesAndTheRoutesNeverFollowALinkOutside() throws Exception {
        Files.writeString(outside.resolve("secret.txt"), "needle outside\n");
        Files.setPosixFilePermissions(outside.resolve("secret.txt"), PosixFilePermissions.fromString("rw-------"));
        Path dir = Files.createDirectories(home.resolve("links"));
        Files.writeString(dir.resolve("text.txt"), "no\nneedle inside\n");
        Files.write(dir.resolve("binary.bin"), new byte[] {'n', 'e', 'e', 'd', 'l', 'e', 0});
        Files.createSymbolicLink(dir.resolve("out-dir"), outside);
        Files.createSymbolicLink(dir.resolve("out-file"), outside.resolve("secret.txt"));

        JsonNode found = calls.json("GET", box("files/find?path=links&pattern=needle"), null);
        assertThat(found.toString())
                .isEqualTo("[{\"file\":\"links/text.txt\",\"line\":2,\"content\":\"needle inside\"}]");
        assertThat(search("links", "*")).containsExactly("links", "links/binary.bin", "links/out-dir", "links/out-file",
                "links/text.txt");

        assertThat(calls.call("POST", box("files/move?source=links/out-dir/secret.txt&destination=taken.txt"), null)
                .statusCode()).isEqualTo(403);
        assertThat(calls.call("POST", box("files/move?source=links/text.txt&destination=links/out-dir/planted.txt"),
                null).statusCode()).isEqualTo(403);
        assertThat(calls.call("POST", box("files/permissions?path=links/out-file&mode=777"), null).statusCode())
                .isEqualTo(403);
        assertThat(calls.call("POST", box("files/folder?path=links/out-dir/made&mode=755"), null).statusCode())
                .isEqualTo(403);
        JsonNode replaced = calls.json("POST", box("files/replace"),
                "{\"files\":[\"links/out-file\"],\"pattern\":\"needle\",\"newValue\":\"pin\"}");
        assertThat(replaced.get(0).path("success").asBoolean()).isFalse();
        assertThat(calls.call("DELETE", box("files?path=links/out-file"), null).statusCode()).isEqualTo(403);
        assertThat(calls.call("DELETE", box("files?path=links&recursive=true"), null).statusCode()).isEqualTo(204);
        assertThat(dir).doesNotExist();

        assertThat(outside.resolve("secret.txt")).hasContent("needle outside\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(outside.resolve("secret.txt"))))
                .isEqualTo("rw-------");
        try (var entries = Files.list(outside)) {
            assertThat(entries).containsExactly(outside.resolve("secret.txt"));
        }
    }

    private static List<String> search(String path, String pattern) throws Exception {
        JsonNode reply = calls.json("GET", box("files/search?path=" + encode(path) + "&pattern=" + encode(pattern)),
                null);
        List<String> files = new ArrayList<>();
        reply.path("files").forEach(f -> files.add(f.asText()));
        return files;
    }

    private static HttpResponse<String> upload(String path, String type, byte[] body) throws Exception {
        HttpRequest request = calls.request("POST", box("files/upload-v2?path=" + encode(path)), null)
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return ServerCalls.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String box(String route) {
        return "/toolbox/" + id + "/" + route;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
