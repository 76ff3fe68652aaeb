package dev.magpie.sandbox.docker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Asks a Docker engine for {@code /_ping} over its socket with a hard deadline, before Testcontainers is touched:
 * Testcontainers' own discovery retries for a long time when no engine answers, and a test run must learn at once
 * that there is none.
 */
final class EngineProbe {

    private EngineProbe() {
    }

    /** The first endpoint that answers the ping, or the reasons none did. */
    static Result probe(Map<String, String> environment, Duration deadline) {
        List<String> failures = new ArrayList<>();
        for (URI endpoint : candidates(environment)) {
            Optional<String> failure = ping(endpoint, deadline);
            if (failure.isEmpty()) {
                return new Result(Optional.of(endpoint), List.of());
            }
            failures.add(endpoint + ": " + failure.get());
        }
        return new Result(Optional.empty(), List.copyOf(failures));
    }

    /** DOCKER_HOST when set; otherwise the usual sockets of rootful, rootless and desktop engines. */
    static List<URI> candidates(Map<String, String> environment) {
        String dockerHost = environment.get("DOCKER_HOST");
        if (dockerHost != null && !dockerHost.isBlank()) {
            return List.of(URI.create(dockerHost.trim()));
        }
        List<URI> sockets = new ArrayList<>();
        sockets.add(URI.create("unix:///var/run/docker.sock"));
        String runtimeDir = environment.get("XDG_RUNTIME_DIR");
        if (runtimeDir != null && !runtimeDir.isBlank()) {
            sockets.add(Path.of(runtimeDir, "docker.sock").toUri().normalize());
        }
        String home = System.getProperty("user.home");
        sockets.add(Path.of(home, ".docker", "run", "docker.sock").toUri());
        sockets.add(Path.of(home, ".docker", "desktop", "docker.sock").toUri());
        return sockets.stream().map(u -> URI.create("unix://" + u.getPath())).toList();
    }

    private static Optional<String> ping(URI endpoint, Duration deadline) {
        SocketAddress address;
        StandardProtocolFamily family;
        switch (endpoint.getScheme()) {
            case "unix":
                Path socket = Path.of(endpoint.getPath());
                if (!Files.exists(socket)) {
                    return Optional.of("no socket file");
                }
                address = UnixDomainSocketAddress.of(socket);
                family = StandardProtocolFamily.UNIX;
                break;
            case "tcp":
            case "http":
                address = new InetSocketAddress(endpoint.getHost(), endpoint.getPort() < 0 ? 2375 : endpoint.getPort());
                family = StandardProtocolFamily.INET;
                break;
            default:
                // TLS and named pipes: leave the decision to Testcontainers' discovery.
                return Optional.empty();
        }
        long until = System.nanoTime() + deadline.toNanos();
        try (SocketChannel channel = SocketChannel.open(family); Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_CONNECT);
            if (!channel.connect(address) && !await(selector, until) || !channel.finishConnect()) {
                return Optional.of("no answer within " + deadline.toMillis() + " ms");
            }
            channel.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII)));
            channel.register(selector, SelectionKey.OP_READ);
            ByteBuffer reply = ByteBuffer.allocate(512);
            while (reply.hasRemaining() && await(selector, until)) {
                if (channel.read(reply) < 0) {
                    break;
                }
                String text = new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII);
                if (text.contains("\r\n")) {
                    return text.startsWith("HTTP/1.") && text.contains(" 200 ") ? Optional.empty()
                            : Optional.of("unexpected reply '" + text.lines().findFirst().orElse("") + "'");
                }
            }
            return Optional.of("no reply to /_ping within " + deadline.toMillis() + " ms");
        } catch (IOException e) {
            return Optional.of(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    private static boolean await(Selector selector, long untilNanos) throws IOException {
        long leftMillis = (untilNanos - System.nanoTime()) / 1_000_000;
        if (leftMillis <= 0) {
            return false;
        }
        int ready = selector.select(leftMillis);
        selector.selectedKeys().clear();
        return ready > 0;
    }

    /** The endpoint that answered, or why none did. */
    record Result(Optional<URI> endpoint, List<String> failures) {
    }
}
