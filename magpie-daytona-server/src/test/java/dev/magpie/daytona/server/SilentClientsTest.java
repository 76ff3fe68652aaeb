package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that connect and fall silent are let go after the head timeout, and stall no one meanwhile; a head over
 * the limit is refused.
 */
class SilentClientsTest {

    private static DaytonaServer server;
    private static ServerCalls calls;

    @BeforeAll
    static void start() {
        server = DaytonaServer.builder().headTimeout(Duration.ofMillis(300)).start();
        calls = new ServerCalls(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aConnectionThatSendsNothingOrHalfAHeadIsClosed() throws Exception {
        try (RawWebSocket silent = RawWebSocket.connect(server.port());
             RawWebSocket half = RawWebSocket.connect(server.port())) {
            half.send("GET /api/sandbox HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes());

            assertThat(silent.socket.getInputStream().read()).as("the end of a silent connection").isEqualTo(-1);
            assertThat(half.socket.getInputStream().read()).as("the end of a half-sent head").isEqualTo(-1);
        }
    }

    @Test
    void aHeadOverTheLimitIsRefusedWith431() throws Exception {
        try (RawWebSocket client = RawWebSocket.connect(server.port())) {
            client.send(("GET /api/sandbox HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "z".repeat(70 * 1024))
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));

            assertThat(client.readHead()).startsWith("HTTP/1.1 431");
        }
    }

    @Test
    void aGatewayClientThatNeverConnectsIsClosed() throws Exception {
        try (RawWebSocket client = RawWebSocket.connect(server.port())) {
            assertThat(client.upgrade("/api/socket.io/?EIO=4&transport=websocket")).contains("101");
            assertThat(client.readText()).startsWith("0{");

            assertThat(endOf(client)).as("the end of a gateway connection that never sent its connect").isTrue();
        }
    }

    @Test
    void manySilentConnectionsStallNoRequest() throws Exception {
        RawWebSocket[] silent = new RawWebSocket[200];
        try {
            for (int i = 0; i < silent.length; i++) {
                silent[i] = RawWebSocket.connect(server.port());
            }
            assertThat(calls.call("GET", "/api/sandbox", null).statusCode()).isEqualTo(200);
        } finally {
            for (RawWebSocket s : silent) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    /** Whether the connection ends (a close frame or the stream's end) before the client's 20 s read timeout. */
    private static boolean endOf(RawWebSocket client) throws IOException {
        try {
            while (true) {
                if (client.read().opcode() == 8) {
                    return true;
                }
            }
        } catch (java.io.EOFException e) {
            return true;
        }
    }
}
