package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

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
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An upload the file system cannot take is the client's error (400, as the spec declares), never a 500. */
class ToolboxUploadTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static DaytonaServer server;
    private static String id;

    @BeforeAll
    static void startSandbox() throws Exception {
        server = DaytonaServer.builder().startDelay(Duration.ZERO).start();
        id = JSON.readTree(send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/sandbox"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))).body())
                .path("id").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!state().equals("started")) {
            if (System.nanoTime() > deadline) {
                fail("Sandbox " + id + " is " + state() + ", not started, 10 s after its create");
            }
            Thread.sleep(10);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void writingUnderAFileIsABadRequestNamingThePath() throws Exception {
        Path home = server.directory(id).orElseThrow();
        assertThat(upload("plain.txt", "plain").statusCode()).isEqualTo(200);

        HttpResponse<String> under = upload("plain.txt/child", "x");

        assertThat(under.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(under.body());
        assertThat(error.path("code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(error.path("message").asText()).contains("plain.txt/child");
        assertThat(home.resolve("plain.txt")).hasContent("plain");
    }

    @Test
    void writingOverADirectoryIsABadRequestAndLeavesItAsItWas() throws Exception {
        Path dir = Files.createDirectories(server.directory(id).orElseThrow().resolve("dir"));
        Files.writeString(dir.resolve("keep.txt"), "kept");

        HttpResponse<String> over = upload("dir", "x");

        assertThat(over.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(over.body()).path("message").asText()).contains("dir");
        try (var entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("keep.txt");
        }
    }

    private static String state() throws Exception {
        return JSON.readTree(send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/sandbox/" + id))).body())
                .path("state").asText();
    }

    private static HttpResponse<String> upload(String path, String content) throws Exception {
        String boundary = "magpie-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files[0].path\"\r\n\r\n" + path
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"files[0].file\"; filename=\"f\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + content + "\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(server.toolboxProxyUrl() + "/" + id + "/files/bulk-upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.header("Authorization", "Bearer " + server.apiKey())
                .header("X-Daytona-Source", "test").header("X-Daytona-SDK-Version", "0.190.0").build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
