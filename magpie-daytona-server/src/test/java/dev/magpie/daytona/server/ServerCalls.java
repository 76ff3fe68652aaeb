package dev.magpie.daytona.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Raw HTTP calls to a server with its key, as any Daytona client would make them. */
final class ServerCalls {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    private final DaytonaServer server;

    ServerCalls(DaytonaServer server) {
        this.server = server;
    }

    HttpRequest.Builder request(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + server.apiKey()).header("X-Daytona-SDK-Version", "0.190.0")
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return b;
    }

    HttpResponse<String> call(String method, String path, String body) throws IOException, InterruptedException {
        return HTTP.send(request(method, path, body).build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(String method, String path, String body) throws IOException, InterruptedException {
        return JSON.readTree(call(method, path, body).body());
    }

    /** Creates a sandbox and waits until it is started; fails with the last state past the deadline. */
    String started(String body) throws IOException, InterruptedException {
        String id = json("POST", "/api/sandbox", body).path("id").asText();
        awaitStarted(id);
        return id;
    }

    /** Waits until the sandbox is started; fails with the last state past the deadline. */
    void awaitStarted(String id) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String state = "";
        while (!(state = json("GET", "/api/sandbox/" + id, null).path("state").asText()).equals("started")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("sandbox " + id + " is still " + state + " after 20 s");
            }
            Thread.sleep(10);
        }
    }
}
