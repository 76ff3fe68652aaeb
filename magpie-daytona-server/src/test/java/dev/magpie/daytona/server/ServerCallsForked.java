package dev.magpie.daytona.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls to a {@link ForkedServer}. */
final class ServerCallsForked {

    private final ForkedServer server;

    ServerCallsForked(ForkedServer server) {
        this.server = server;
    }

    HttpRequest.Builder request(String method, String path, String body) {
        String origin = server.baseUrl.substring(0, server.baseUrl.length() - "/api".length());
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin + path))
                .header("Authorization", "Bearer " + ForkedServer.KEY).header("X-Daytona-SDK-Version", "0.190.0")
                .timeout(Duration.ofMinutes(2))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return b;
    }

    JsonNode json(String method, String path, String body) throws IOException, InterruptedException {
        return ServerCalls.JSON.readTree(ServerCalls.HTTP.send(request(method, path, body).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    /** A new sandbox once started; fails with its state past a deadline. */
    String startedSandbox() throws IOException, InterruptedException {
        String id = json("POST", "/api/sandbox", "{}").path("id").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String state;
        while (!(state = json("GET", "/api/sandbox/" + id, null).path("state").asText()).equals("started")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("sandbox " + id + " is still " + state + " after 20 s");
            }
            Thread.sleep(10);
        }
        return id;
    }
}
