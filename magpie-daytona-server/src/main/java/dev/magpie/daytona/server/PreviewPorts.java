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
 * when the sandbox stops or is deleted, or with the server. After a restart the URL is asked for again: a new
 * forward reaches the sandbox where it runs now.
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
            synchronized (sandbox) { // a delete closes the forwards under this lock: none opens after it
                if (sandbox.state().equals("destroying")) {
                    call.apiError(404, "Sandbox with ID or name " + idOrName + " not found");
                    return;
                }
                forward = forwards.computeIfAbsent(sandbox.id + ":" + port, key -> PortForward.open(host,
                        () -> address(sandbox), target));
            }
        } catch (java.io.UncheckedIOException e) {
            call.apiError(500, "Could not open a preview port for port " + port + ": " + e.getCause().getMessage());
            return;
        }
        call.json(200, Map.of("sandboxId", sandbox.id, "url", forward.url(),
                "token", UUID.nameUUIDFromBytes(forward.url().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .toString()));
    }

    /**
     * Closes the sandbox's forwards; called under the sandbox's lock as it stops or is deleted, the lock under which
     * a forward asks for its address, so that no forward keeps an address from before.
     */
    void close(LocalSandbox sandbox) {
        forwards.entrySet().removeIf(forward -> {
            if (!forward.getKey().startsWith(sandbox.id + ":")) {
                return false;
            }
            forward.getValue().close();
            return true;
        });
    }

    /** Where the sandbox's ports are reached, or null while it is stopped, archived or being deleted. */
    private static String address(LocalSandbox sandbox) {
        synchronized (sandbox) {
            String state = sandbox.state();
            return state.equals("stopped") || state.equals("archived") || state.equals("destroying") ? null
                    : sandbox.runtime.address(sandbox);
        }
    }

    /** Closes every forward; for the server's close. */
    void closeAll() {
        forwards.values().forEach(PortForward::close);
        forwards.clear();
    }
}
