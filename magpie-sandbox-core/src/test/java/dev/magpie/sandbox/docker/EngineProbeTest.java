package dev.magpie.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine probe decides quickly, with a reason, whether anything answers like an engine. */
class EngineProbeTest {

    private static final Duration DEADLINE = Duration.ofMillis(500);
    private static final byte[] PONG = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void aMissingSocketIsReportedAtOnce() {
        EngineProbe.Result result = probe("unix://" + dir.resolve("docker.sock"));

        assertThat(result.endpoint()).isEmpty();
        assertThat(result.failures()).singleElement().asString().contains("docker.sock").contains("no socket file");
    }

    @Test
    void aClosedPortIsReportedAtOnce() throws IOException {
        int port;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = server.getLocalPort();
        }
        long start = System.nanoTime();

        // A deadline far beyond the bound below: only a probe that gives up at the refusal passes.
        EngineProbe.Result result = EngineProbe.probe(Map.of("DOCKER_HOST", "tcp://127.0.0.1:" + port),
                Duration.ofSeconds(10));

        assertThat(result.endpoint()).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aServerThatNeverAnswersCountsAsAbsentAfterTheDeadline() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();

            EngineProbe.Result result = probe("tcp://127.0.0.1:" + silent.getLocalPort());

            assertThat(result.endpoint()).isEmpty();
            assertThat(result.failures()).singleElement().asString().contains("within 500 ms");
            // The behaviour under test is timing: the probe gives up at its 500 ms deadline. 5 s is ten times that.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void anEndpointAnsweringThePingIsChosen() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread answer = new Thread(() -> {
                try (Socket socket = server.accept(); InputStream in = socket.getInputStream();
                     OutputStream out = socket.getOutputStream()) {
                    in.read(new byte[512]);
                    out.write(PONG);
                } catch (IOException e) {
                    // the assertion below reports it
                }
            });
            answer.start();
            String endpoint = "tcp://127.0.0.1:" + server.getLocalPort();

            EngineProbe.Result result = probe(endpoint);

            // Before the join: a probe that never connected fails here, and closing the socket ends the accept.
            assertThat(result.endpoint()).contains(URI.create(endpoint));
            answer.join(10_000);
            assertThat(answer.isAlive()).as("the answering thread still runs 10 s after the probe").isFalse();
        }
    }

    @Test
    void aUnixSocketAnsweringThePingIsChosen() throws Exception {
        Path socketPath = dir.resolve("engine.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socketPath));
            Thread answer = new Thread(() -> {
                try (SocketChannel channel = server.accept()) {
                    channel.read(ByteBuffer.allocate(512));
                    channel.write(ByteBuffer.wrap(PONG));
                } catch (IOException e) {
                    // the assertion below reports it
                }
            });
            answer.start();

            EngineProbe.Result result = probe("unix://" + socketPath);

            assertThat(result.endpoint()).isPresent();
            answer.join(10_000);
            assertThat(answer.isAlive()).as("the answering thread still runs 10 s after the probe").isFalse();
        }
    }

    @Test
    void withoutDockerHostTheUsualSocketsAreTried() {
        assertThat(EngineProbe.candidates(Map.of("XDG_RUNTIME_DIR", "/run/user/1000")))
                .first().hasToString("unix:///var/run/docker.sock");
        assertThat(EngineProbe.candidates(Map.of("XDG_RUNTIME_DIR", "/run/user/1000")))
                .contains(URI.create("unix:///run/user/1000/docker.sock"));
    }

    private static EngineProbe.Result probe(String dockerHost) {
        return EngineProbe.probe(Map.of("DOCKER_HOST", dockerHost), DEADLINE);
    }
}
