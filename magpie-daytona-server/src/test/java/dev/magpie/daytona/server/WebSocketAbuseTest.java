package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** WebSocket clients that misbehave: they never read, send frames no client may send, or send nothing. */
class WebSocketAbuseTest {

    private static final String GATEWAY = "/api/socket.io/?EIO=4&transport=websocket";

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
    void aGatewayClientThatNeverReadsIsDroppedAndStallsNoStateChange() throws Exception {
        try (RawWebSocket idle = RawWebSocket.connect(server.port())) {
            assertThat(idle.upgrade(GATEWAY)).contains("101");
            idle.readText();
            idle.sendText("40{\"token\":\"" + server.apiKey() + "\"}", true);
            assertThat(idle.readText()).startsWith("40");
            // from here on the client reads nothing; each event carries the sandbox's 256 KiB label, so the socket
            // buffers of this machine (a few MiB) take few of them
            String id = calls.started("{\"labels\":{\"big\":\"" + "x".repeat(256 * 1024) + "\"}}");
            // more events (two or more a round) than the buffers and the 256 that may wait for a subscriber hold
            for (int round = 0; round < 250; round++) {
                for (String action : new String[] {"stop", "start"}) {
                    HttpResponse<String> reply = calls.HTTP.send(calls.request("POST", "/api/sandbox/" + id + "/"
                            + action, null).timeout(Duration.ofSeconds(20)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(reply.statusCode()).as(action + " in round " + round).isEqualTo(200);
                }
            }
            try {
                while (true) {
                    idle.read();
                }
            } catch (java.io.EOFException e) {
                // dropped: what the server sent before is read, then the connection's end
            }
        }
    }

    @Test
    void aGatewayClientThatNeverReadsAndThenClosesLeavesNoThread() throws Exception {
        try (RawWebSocket idle = RawWebSocket.connect(server.port())) {
            assertThat(idle.upgrade(GATEWAY)).contains("101");
            idle.readText();
            idle.sendText("40{\"token\":\"" + server.apiKey() + "\"}", true);
            assertThat(idle.readText()).startsWith("40");
            String id = calls.started("{\"labels\":{\"big\":\"" + "y".repeat(64 * 1024) + "\"}}");
            // more than the socket buffers hold, fewer than a subscriber may fall behind: its sender is stuck
            for (int round = 0; round < 60; round++) {
                calls.call("POST", "/api/sandbox/" + id + "/stop", null);
                calls.call("POST", "/api/sandbox/" + id + "/start", null);
            }
            idle.send(new byte[] {(byte) 0x88, (byte) 0x82, 1, 2, 3, 4, 0x03 ^ 1, (byte) (0xE8 ^ 2)});

            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive()
                    && t.getName().equals("daytona-gateway-send"))) {
                assertThat(System.nanoTime()).as("the gateway's sender ends within 20 s of the client's close")
                        .isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }

    @Test
    void aTerminalClientThatNeverReadsIsDroppedAndTheOtherGetsAllTheOutput() throws Exception {
        String id = calls.started("{}");
        String auth = "Authorization: Bearer " + server.apiKey();
        try (RawWebSocket reader = RawWebSocket.connect(server.port());
             RawWebSocket idle = RawWebSocket.connect(server.port())) {
            assertThat(reader.upgrade("/toolbox/" + id + "/process/pty/create-connect?id=shared", auth))
                    .contains("101");
            assertThat(reader.readText()).contains("connected");
            assertThat(idle.upgrade("/toolbox/" + id + "/process/pty/shared/connect", auth)).contains("101");
            assertThat(idle.readText()).contains("connected");
            // from here on idle reads nothing, while the terminal writes far more than its socket buffers hold
            reader.sendText("head -c 16000000 /dev/zero | tr '\\0' x; echo; echo done-$((40+2))\n", true);

            StringBuilder tail = new StringBuilder();
            while (!tail.toString().contains("done-42")) {
                RawWebSocket.Frame frame = reader.read();
                assertThat(frame.opcode()).as("terminal output, not the end of the connection").isNotEqualTo(8);
                tail.append(frame.text());
                tail.delete(0, Math.max(0, tail.length() - 64));
            }
        }
    }

    @Test
    void terminalsAndLogsRefuseAWrongKeyAndTheGatewayTellsAClientWithoutOneNothing() throws Exception {
        String id = calls.started("{}");
        calls.call("POST", "/toolbox/" + id + "/process/session", "{\"sessionId\":\"s\"}");
        String cmd = calls.json("POST", "/toolbox/" + id + "/process/session/s/exec",
                "{\"command\":\"echo hi\"}").path("cmdId").asText();
        for (String route : new String[] {"/process/pty/create-connect?id=p", "/process/session/s/command/" + cmd
                + "/logs?follow=true"}) {
            for (String auth : new String[] {"Authorization: Bearer wrong", "Authorization: " + server.apiKey(),
                    "X-Api-Key: " + server.apiKey()}) {
                try (RawWebSocket client = RawWebSocket.connect(server.port())) {
                    assertThat(client.upgrade("/toolbox/" + id + route, auth)).as(route + " with " + auth
                            .replace(server.apiKey(), "<key>")).contains("401");
                }
            }
        }
        assertThat(calls.json("GET", "/toolbox/" + id + "/process/pty", null).path("sessions").size())
                .as("no terminal made by a refused client").isZero();

        try (RawWebSocket stranger = RawWebSocket.connect(server.port())) {
            assertThat(stranger.upgrade(GATEWAY, "Authorization: Bearer " + server.apiKey())).contains("101");
            stranger.readText();
            stranger.sendText("40", true);
            assertThat(stranger.readText()).startsWith("44");
            calls.call("POST", "/api/sandbox/" + id + "/stop", null);
            stranger.sendText("2", true);
            assertThat(stranger.readText()).as("the answer to its ping, and no event before it").isEqualTo("3");
        }
    }

    @Test
    void anUpgradeWithoutAKeyIsABadRequest() throws Exception {
        try (RawWebSocket client = RawWebSocket.connect(server.port())) {
            client.send(("GET " + GATEWAY + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));

            assertThat(new String(client.socket.getInputStream().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8)).startsWith("HTTP/1.1 400").contains("Sec-WebSocket-Key");
        }
    }

    @Test
    void anUnmaskedFrameClosesTheConnectionWithAProtocolError() throws Exception {
        try (RawWebSocket client = RawWebSocket.connect(server.port())) {
            assertThat(client.upgrade(GATEWAY)).contains("101");
            client.readText();
            client.sendText("2", false);

            RawWebSocket.Frame reply = client.read();
            assertThat(reply.opcode()).as("a close frame, not an answer").isEqualTo(8);
            assertThat(reply.closeCode()).isEqualTo(1002);
        }
    }

    @Test
    void aFrameLongerThanAnyLengthClosesTheConnectionAsTooBig() throws Exception {
        try (RawWebSocket client = RawWebSocket.connect(server.port())) {
            assertThat(client.upgrade(GATEWAY)).contains("101");
            client.readText();
            // a 64-bit length with its top bit set: negative as a signed number
            client.send(new byte[] {(byte) 0x81, (byte) (0x80 | 127), (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4});

            RawWebSocket.Frame reply = client.read();
            assertThat(reply.opcode()).isEqualTo(8);
            assertThat(reply.closeCode()).isEqualTo(1009);
        }
    }
}
