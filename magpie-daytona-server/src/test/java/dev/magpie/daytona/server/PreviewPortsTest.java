package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
    void aDeleteClosesTheForwardAndItsConnectionsAndThePreviewUrlIsThenRefused() throws Exception {
        try (DaytonaServer server = DaytonaServer.start(); ServerSocket service = new ServerSocket(0)) {
            ServerCalls calls = new ServerCalls(server);
            String id = calls.started("{}");
            int port = service.getLocalPort();
            String route = "/api/sandbox/" + id + "/ports/" + port + "/preview-url";
            URI url = URI.create(calls.json("GET", route, null).path("url").asText());
            service.setSoTimeout(60_000);
            try (Socket client = new Socket(url.getHost(), url.getPort()); Socket forwarded = service.accept()) {
                client.setSoTimeout(60_000);

                assertThat(calls.call("DELETE", "/api/sandbox/" + id, null).statusCode()).isEqualTo(200);

                assertThat(client.getInputStream().read()).as("the open connection, ended").isEqualTo(-1);
            }
            HttpResponse<String> refused = calls.call("GET", route, null);
            assertThat(refused.statusCode()).isEqualTo(404);
            assertThat(refused.body()).contains("Sandbox with ID or name " + id + " not found");
            assertThatThrownBy(() -> new Socket(url.getHost(), url.getPort()).close())
                    .as("a connection to the closed forward").isInstanceOf(ConnectException.class);
            awaitNoThread("magpie-preview-" + port);
        }
    }

    @Test
    void aPreviewAskedForWhileTheSandboxIsStoppedAnswers502UntilTheSandboxIsStartedAgain() throws Exception {
        try (DaytonaServer server = DaytonaServer.start(); ServerSocket service = new ServerSocket(0)) {
            ServerCalls calls = new ServerCalls(server);
            String id = calls.started("{}");
            assertThat(calls.call("POST", "/api/sandbox/" + id + "/stop", null).statusCode()).isEqualTo(200);
            URI url = URI.create(calls.json("GET", "/api/sandbox/" + id + "/ports/" + service.getLocalPort()
                    + "/preview-url", null).path("url").asText());

            HttpResponse<String> stopped = ServerCalls.HTTP.send(HttpRequest.newBuilder(url)
                    .timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(calls.call("POST", "/api/sandbox/" + id + "/start", null).statusCode()).isEqualTo(200);
            calls.awaitStarted(id);
            Thread answering = new Thread(() -> answerOnce(service));
            answering.start();
            HttpResponse<String> started = ServerCalls.HTTP.send(HttpRequest.newBuilder(url).build(),
                    HttpResponse.BodyHandlers.ofString());
            answering.join();

            assertThat(stopped.statusCode()).isEqualTo(502);
            assertThat(stopped.body()).contains("The sandbox is not running");
            assertThat(started.statusCode()).isEqualTo(200);
            assertThat(started.body()).isEqualTo("from the sandbox");
        }
    }

    /** Waits until no thread of the forward to the port runs: they end once it is closed. */
    static void awaitNoThread(String name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(name) || t.getName().startsWith(name + "-"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("threads named " + name + "* still run 30 s after the forward closed");
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aSignedPreviewUrlServesUntilItExpiresThenEndsItsConnectionsAndRefuses() throws Exception {
        try (DaytonaServer server = DaytonaServer.start(); ServerSocket service = new ServerSocket(0)) {
            ServerCalls calls = new ServerCalls(server);
            String id = calls.started("{}");
            JsonNode signed = calls.json("GET", "/api/sandbox/" + id + "/ports/" + service.getLocalPort()
                    + "/signed-preview-url?expiresInSeconds=1", null);
            URI url = URI.create(signed.path("url").asText());
            assertThat(signed.path("port").asInt()).isEqualTo(service.getLocalPort());
            assertThat(signed.path("token").asText()).isNotBlank();

            Thread answering = new Thread(() -> answerOnce(service));
            answering.start();
            HttpResponse<String> served = ServerCalls.HTTP.send(HttpRequest.newBuilder(url).build(),
                    HttpResponse.BodyHandlers.ofString());
            answering.join();
            assertThat(served.body()).isEqualTo("from the sandbox");

            // a connection open past the expiry is ended, and the port then refuses
            try (Socket kept = new Socket(url.getHost(), url.getPort())) {
                kept.setSoTimeout(30_000);
                assertThat(kept.getInputStream().read()).as("an open connection, ended at the expiry").isEqualTo(-1);
            }
            assertThatThrownBy(() -> new Socket(url.getHost(), url.getPort()).close())
                    .as("a connection to the expired URL").isInstanceOf(ConnectException.class);
            HttpResponse<String> expireAgain = calls.call("POST", "/api/sandbox/" + id + "/ports/"
                    + service.getLocalPort() + "/signed-preview-url/" + signed.path("token").asText() + "/expire",
                    null);
            assertThat(expireAgain.statusCode()).as("an expired token is gone").isEqualTo(404);
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
