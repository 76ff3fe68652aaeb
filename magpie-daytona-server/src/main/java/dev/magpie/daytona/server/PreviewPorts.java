package dev.magpie.daytona.server;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /api/sandbox/{id}/ports/{port}/preview-url}: the preview URL of a sandbox's port. Daytona answers with
 * a host name per port on its proxy domain; this server answers with a port of its own host that forwards every
 * connection to the sandbox's port ({@link PortForward}), opened at the first request for that port and closed
 * with the server, or at the first connection after the sandbox is gone.
 */
final class PreviewPorts {

    private final DaytonaServer server;
    private final Map<String, PortForward> forwards = new ConcurrentHashMap<>();

    PreviewPorts(DaytonaServer server) {
        this.server = server;
    }

    void handle(Call call, String idOrName, String portText) throws IOException {
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            call.apiError(400, "port must be a number from 1 to 65535, was '" + portText + "'");
            return;
        }
        Optional<LocalSandbox> found = server.sandboxes().find(idOrName);
        if (found.isEmpty()) {
            call.apiError(404, "Sandbox with ID or name " + idOrName + " not found");
            return;
        }
        LocalSandbox sandbox = found.get();
        int target = port;
        String host = URI.create(server.origin()).getHost();
        PortForward forward;
        try {
            forward = forwards.computeIfAbsent(sandbox.id + ":" + port, key -> PortForward.open(host,
                    sandbox.runtime.address(sandbox), target, () -> server.sandboxes().find(sandbox.id).isPresent(),
                    () -> forwards.remove(key)));
        } catch (java.io.UncheckedIOException e) {
            call.apiError(500, "Could not open a preview port for port " + port + ": " + e.getCause().getMessage());
            return;
        }
        call.json(200, Map.of("sandboxId", sandbox.id, "url", forward.url(),
                "token", UUID.nameUUIDFromBytes(forward.url().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .toString()));
    }

    /** Closes every forward; for the server's close. */
    void closeAll() {
        forwards.values().forEach(PortForward::close);
        forwards.clear();
    }
}
