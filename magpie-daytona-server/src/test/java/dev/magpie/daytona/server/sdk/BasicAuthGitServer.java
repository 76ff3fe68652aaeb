package dev.magpie.daytona.server.sdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bare repository served over git's dumb HTTP protocol (its files as they are, after {@code git
 * update-server-info}) behind Basic authentication: to see credentials that a clone sends reach the remote.
 */
final class BasicAuthGitServer implements AutoCloseable {

    private final HttpServer server;
    private final Path repository;
    private final String expected;
    private final AtomicInteger authorized = new AtomicInteger();

    BasicAuthGitServer(Path bareRepository, String username, String password) throws IOException {
        GitFixture.git(bareRepository, "update-server-info");
        this.repository = bareRepository.toRealPath();
        this.expected = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/repo.git/", this::serve);
        server.start();
    }

    /** The repository's URL. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/repo.git";
    }

    /** How many requests carried the expected credentials. */
    int authorizedRequests() {
        return authorized.get();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"widgets\"");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            authorized.incrementAndGet();
            Path file = repository.resolve(exchange.getRequestURI().getPath().substring("/repo.git/".length()))
                    .normalize();
            if (!file.startsWith(repository) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] bytes = Files.readAllBytes(file);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
