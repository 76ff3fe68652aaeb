package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A sandbox port's preview URL forwards to the port; refusals name what was wrong. */
class PreviewPortsTest {

    @Test
    void thePreviewUrlForwardsToTheSandboxsPortAndAnswers502WhileNothingListens() throws Exception {
        try (DaytonaServer server = DaytonaServer.start(); ServerSocket service = new ServerSocket(0)) {
            ServerCalls calls = new ServerCalls(server);
            String id = calls.started("{}");
            int port = service.getLocalPort();
            JsonNode preview = calls.json("GET", "/api/sandbox/" + id + "/ports/" + port + "/preview-url", null);
            URI url = URI.create(preview.path("url").asText());
            assertThat(preview.path("sandboxId").asText()).isEqualTo(id);
            assertThat(preview.path("token").asText()).isNotBlank();
            assertThat(calls.json("GET", "/api/sandbox/" + id + "/ports/" + port + "/preview-url", null)
                    .path("url").asText()).as("the same port each time").isEqualTo(url.toString());

            Thread answering = new Thread(() -> answerOnce(service));
            answering.start();
            HttpResponse<String> forwarded = ServerCalls.HTTP.send(HttpRequest.newBuilder(url.resolve("/page"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            answering.join();
            assertThat(forwarded.statusCode()).isEqualTo(200);
            assertThat(forwarded.body()).isEqualTo("from the sandbox");

            service.close();
            HttpResponse<String> nothing = ServerCalls.HTTP.send(HttpRequest.newBuilder(url).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(nothing.statusCode()).isEqualTo(502);
        }
    }

    @Test
    void anUnknownSandboxOrABadPortIsRefused() throws Exception {
        try (DaytonaServer server = DaytonaServer.start()) {
            ServerCalls calls = new ServerCalls(server);
            String id = calls.started("{}");

            HttpResponse<String> unknown = calls.call("GET", "/api/sandbox/nope/ports/8080/preview-url", null);
            HttpResponse<String> bad = calls.call("GET", "/api/sandbox/" + id + "/ports/70000/preview-url", null);

            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("Sandbox with ID or name nope not found");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("port must be a number from 1 to 65535, was '70000'");
        }
    }

    /** Reads one request's head and answers it, as the sandbox's service would. */
    private static void answerOnce(ServerSocket service) {
        try (Socket client = service.accept(); InputStream in = client.getInputStream();
             OutputStream out = client.getOutputStream()) {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                head.append((char) b);
            }
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: 16\r\nConnection: close\r\n\r\nfrom the sandbox")
                    .getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
