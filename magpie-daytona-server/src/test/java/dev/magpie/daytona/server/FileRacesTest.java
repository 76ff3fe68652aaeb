package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sandbox process swaps a directory for a link to outside while the file routes write through it; and bodies
 * and trees built to exhaust the routes: thousands of parts, a part with no end, a link loop.
 */
class FileRacesTest {

    private static DaytonaServer server;
    private static ServerCalls calls;

    @TempDir
    Path outside;

    @BeforeAll
    static void start() {
        server = DaytonaServer.start();
        calls = new ServerCalls(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void writesThroughADirectoryThatASandboxProcessSwapsForALinkStayInside() throws Exception {
        String id = calls.started("{}");
        Files.writeString(outside.resolve("secret.txt"), "outside");
        Files.setPosixFilePermissions(outside.resolve("secret.txt"), PosixFilePermissions.fromString("rw-------"));
        calls.call("POST", "/toolbox/" + id + "/process/session", "{\"sessionId\":\"race\"}");
        calls.call("POST", "/toolbox/" + id + "/process/session/race/exec", "{\"command\":\"echo x > f; "
                + "while true; do rm -rf d; mkdir d; echo in > d/secret.txt; rm -rf d; ln -s '" + outside
                + "' d; done\",\"runAsync\":true}");
        String files = "/toolbox/" + id + "/files";
        List<Integer> statuses = new ArrayList<>();
        for (int round = 0; round < 150; round++) {
            statuses.add(upload(files + "/upload-v2?path=" + encode("d/planted-" + round), "planted").statusCode());
            statuses.add(calls.call("POST", files + "/folder?path=d/made-" + round + "&mode=755", null).statusCode());
            statuses.add(calls.call("POST", files + "/permissions?path=d/secret.txt&mode=777", null).statusCode());
            statuses.add(calls.call("POST", files + "/replace",
                    "{\"files\":[\"d/secret.txt\"],\"pattern\":\"outside\",\"newValue\":\"replaced\"}").statusCode());
            calls.call("POST", files + "/upload-v2?path=m-" + round, "moved");
            statuses.add(calls.call("POST", files + "/move?source=m-" + round + "&destination=d/moved-" + round,
                    null).statusCode());
            statuses.add(calls.call("DELETE", files + "?path=d/secret.txt", null).statusCode());
        }
        calls.call("DELETE", "/toolbox/" + id + "/process/session/race", null);

        assertThat(statuses).as("no 500").doesNotContain(500);
        try (Stream<Path> entries = Files.list(outside)) {
            assertThat(entries).containsExactly(outside.resolve("secret.txt"));
        }
        assertThat(outside.resolve("secret.txt")).hasContent("outside");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(outside.resolve("secret.txt"))))
                .isEqualTo("rw-------");
    }

    @Test
    void aBulkUploadOfThousandsOfPartsIsWrittenAndAPartWithNoEndRefused() throws Exception {
        String id = calls.started("{}");
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            body.append("--b\r\nContent-Disposition: form-data; name=\"files[").append(i).append("].path\"\r\n\r\n")
                    .append("many/").append(i).append("\r\n--b\r\nContent-Disposition: form-data; name=\"files[")
                    .append(i).append("].file\"; filename=\"f\"\r\n\r\n").append(i).append("\r\n");
        }
        HttpResponse<String> many = bulkUpload(id, body + "--b--\r\n");
        assertThat(many.statusCode()).as(many.body()).isEqualTo(200);
        assertThat(calls.call("GET", "/toolbox/" + id + "/files/download?path=many/2999", null).body())
                .isEqualTo("2999");

        HttpResponse<String> endless = bulkUpload(id, "--b\r\nContent-Disposition: form-data; "
                + "name=\"files[0].path\"\r\n\r\nx\r\n--b\r\nContent-Disposition: form-data; name=\"files[0].file\""
                + "\r\n\r\n" + "y".repeat(100_000));
        assertThat(endless.statusCode()).as(endless.body()).isEqualTo(400);
    }

    @Test
    void findAndSearchOverALinkLoopEnd() throws Exception {
        String id = calls.started("{}");
        calls.call("POST", "/toolbox/" + id + "/process/execute",
                "{\"command\":\"mkdir -p loop/in && ln -s .. loop/in/up && ln -s loop self && echo needle > loop/n\"}");

        assertThat(calls.json("GET", "/toolbox/" + id + "/files/find?path=.&pattern=needle", null).size())
                .isEqualTo(1);
        assertThat(calls.json("GET", "/toolbox/" + id + "/files/search?path=.&pattern=*", null).path("files").size())
                .as("each entry once: the root, loop, loop/in, loop/in/up, loop/n, self").isEqualTo(6);
    }

    private static HttpResponse<String> upload(String path, String content) throws Exception {
        HttpRequest request = calls.request("POST", path, null).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString(content)).build();
        return ServerCalls.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> bulkUpload(String id, String body) throws Exception {
        HttpRequest request = calls.request("POST", "/toolbox/" + id + "/files/bulk-upload", null)
                .header("Content-Type", "multipart/form-data; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return ServerCalls.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
