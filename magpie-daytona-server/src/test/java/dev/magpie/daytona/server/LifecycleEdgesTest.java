package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the lifecycle routes, the event gateway and the followed logs refuse, and what they announce. */
class LifecycleEdgesTest {

    private static DaytonaServer server;
    private static ServerCalls calls;

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
    void refusesBadIntervalsAndLabelsAndUnknownSandboxes() throws Exception {
        String id = calls.started("{}");

        assertThat(calls.call("POST", "/api/sandbox/" + id + "/autostop/soon", null).statusCode()).isEqualTo(400);
        assertThat(calls.call("POST", "/api/sandbox/" + id + "/autoarchive/-1", null).statusCode()).isEqualTo(400);
        assertThat(calls.json("POST", "/api/sandbox/" + id + "/autodelete/-1", null).path("autoDeleteInterval")
                .asInt()).isEqualTo(-1);
        assertThat(calls.call("PUT", "/api/sandbox/" + id + "/labels", "{\"labels\":[1]}").statusCode())
                .isEqualTo(400);
        assertThat(calls.call("POST", "/api/sandbox/nope/stop", null).statusCode()).isEqualTo(404);
        assertThat(calls.call("POST", "/api/sandbox/" + id + "/last-activity", null).statusCode()).isEqualTo(201);
    }

    @Test
    void aStoppedSandboxRefusesToolboxCallsUntilStarted() throws Exception {
        String id = calls.started("{}");

        assertThat(calls.json("POST", "/api/sandbox/" + id + "/stop", null).path("state").asText())
                .isEqualTo("stopped");
        HttpResponse<String> refused = calls.call("POST", "/toolbox/" + id + "/process/execute",
                "{\"command\":\"true\"}");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(calls.json("POST", "/api/sandbox/" + id + "/start", null).path("state").asText())
                .isEqualTo("started");
        assertThat(calls.json("POST", "/toolbox/" + id + "/process/execute", "{\"command\":\"echo up\"}")
                .path("result").asText()).isEqualTo("up\n");
    }

    @Test
    void followedLogsNeedTheKeyAndAKnownCommand() throws Exception {
        String id = calls.started("{}");
        calls.call("POST", "/toolbox/" + id + "/process/session", "{\"sessionId\":\"s\"}");
        String cmd = calls.json("POST", "/toolbox/" + id + "/process/session/s/exec",
                "{\"command\":\"echo hi\"}").path("cmdId").asText();
        String path = "/toolbox/" + id + "/process/session/s/command/";

        assertThat(handshakeStatus(path + cmd + "/logs?follow=true", null)).isEqualTo(401);
        assertThat(handshakeStatus(path + "unknown/logs?follow=true", server.apiKey())).isEqualTo(404);
        HttpResponse<String> input = calls.call("POST", path + cmd + "/input", "{\"data\":\"x\"}");
        assertThat(input.statusCode()).isEqualTo(410);
        assertThat(input.body()).contains("runAsync");
    }

    @Test
    void theGatewayAnnouncesStateChangesToAuthenticatedClientsOnly() throws Exception {
        BlockingQueue<String> stranger = new LinkedBlockingQueue<>();
        WebSocket strangerSocket = gateway(stranger);
        assertThat(next(stranger)).startsWith("0{\"sid\"");
        strangerSocket.sendText("40{\"token\":\"wrong\"}", true).join();
        assertThat(next(stranger)).startsWith("44").contains("Invalid credentials");

        BlockingQueue<String> client = new LinkedBlockingQueue<>();
        WebSocket socket = gateway(client);
        assertThat(next(client)).startsWith("0{\"sid\"");
        socket.sendText("40{\"token\":\"" + server.apiKey() + "\"}", true).join();
        assertThat(next(client)).startsWith("40{\"sid\"");
        String id = calls.started("{}");
        calls.call("POST", "/api/sandbox/" + id + "/stop", null);

        JsonNode event = ServerCalls.JSON.readTree(next(client).substring(2));
        assertThat(event.get(0).asText()).isEqualTo("sandbox.state.updated");
        assertThat(event.get(1).path("sandbox").path("id").asText()).isEqualTo(id);
        assertThat(event.get(1).path("newState").asText()).isEqualTo("stopped");
        assertThat(stranger.poll()).as("nothing for a client that did not authenticate").isNull();
    }

    private static WebSocket gateway(BlockingQueue<String> received) {
        return fresh().newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.port()
                + "/api/socket.io/?EIO=4&transport=websocket"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        received.add(data.toString());
                        ws.request(1);
                        return null;
                    }
                }).join();
    }

    /** A client of its own: the server takes WebSockets only as the first request of a connection. */
    private static HttpClient fresh() {
        return HttpClient.newHttpClient();
    }

    private static String next(BlockingQueue<String> received) throws InterruptedException {
        String packet = received.poll(20, TimeUnit.SECONDS);
        assertThat(packet).as("a gateway packet within 20 s").isNotNull();
        return packet;
    }

    private static int handshakeStatus(String path, String key) throws InterruptedException {
        WebSocket.Builder builder = fresh().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20));
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        Throwable failure = catchThrowable(() -> builder.buildAsync(URI.create("ws://127.0.0.1:" + server.port()
                + path), new WebSocket.Listener() { }).get());
        assertThat(failure).isInstanceOf(ExecutionException.class);
        assertThat(failure.getCause()).isInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) failure.getCause()).getResponse().statusCode();
    }
}
