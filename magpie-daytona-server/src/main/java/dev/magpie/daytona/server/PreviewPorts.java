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

    /** {@code GET .../preview-url}: one forward per port, the same URL each time, its token as Daytona gives it. */
    void handle(Call call, String idOrName, String portText) throws IOException {
        int port = port(call, portText);
        LocalSandbox sandbox = port < 0 ? null : sandbox(call, idOrName);
        if (sandbox == null) {
            return;
        }
        PortForward forward = open(call, sandbox, port, sandbox.id + ":" + port, Long.MAX_VALUE);
        if (forward != null) {
            call.json(200, Map.of("sandboxId", sandbox.id, "url", forward.url(), "token", UUID.nameUUIDFromBytes(
                    forward.url().getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString()));
        }
    }

    /**
     * {@code GET .../signed-preview-url?expiresInSeconds=N} (60 by default): a URL that needs no header, as
     * Daytona's carries its token in the host name; here a forward of its own, which closes with its connections
     * when it expires or is expired by {@link #expire}.
     */
    void handleSigned(Call call, String idOrName, String portText) throws IOException {
        String given = call.params.getOrDefault("expiresInSeconds", "60");
        long seconds;
        try {
            seconds = Long.parseLong(given);
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 1) {
            call.apiError(400, "expiresInSeconds must be a whole number of seconds from 1, was '" + given + "'");
            return;
        }
        int port = port(call, portText);
        LocalSandbox sandbox = port < 0 ? null : sandbox(call, idOrName);
        if (sandbox == null) {
            return;
        }
        String token = UUID.randomUUID().toString().replace("-", "");
        long expiresAt = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(Math.min(seconds,
                java.util.concurrent.TimeUnit.DAYS.toSeconds(3650)));
        PortForward forward = open(call, sandbox, port, sandbox.id + ":" + port + ":" + token, expiresAt);
        if (forward != null) {
            call.json(200, Map.of("sandboxId", sandbox.id, "port", port, "token", token, "url", forward.url()));
        }
    }

    /** {@code POST .../signed-preview-url/{token}/expire}: closes that signed URL's forward. */
    void expire(Call call, String idOrName, String portText, String token) throws IOException {
        int port = port(call, portText);
        LocalSandbox sandbox = port < 0 ? null : sandbox(call, idOrName);
        if (sandbox == null) {
            return;
        }
        PortForward forward = forwards.remove(sandbox.id + ":" + port + ":" + token);
        if (forward == null) {
            call.apiError(404, "No signed preview URL with that token for port " + port + " of sandbox " + sandbox.id);
            return;
        }
        forward.close();
        call.empty(200);
    }

    private static int port(Call call, String portText) throws IOException {
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            call.apiError(400, "port must be a number from 1 to 65535, was '" + portText + "'");
            return -1;
        }
        return port;
    }

    private LocalSandbox sandbox(Call call, String idOrName) throws IOException {
        Optional<LocalSandbox> found = server.sandboxes().find(idOrName);
        if (found.isEmpty()) {
            call.apiError(404, "Sandbox with ID or name " + idOrName + " not found");
            return null;
        }
        return found.get();
    }

    /** The forward under {@code key}, opened now if there is none; null when a reply already says why not. */
    private PortForward open(Call call, LocalSandbox sandbox, int port, String key, long expiresAt)
            throws IOException {
        String host = URI.create(server.origin()).getHost();
        try {
            synchronized (sandbox) { // a delete closes the forwards under this lock: none opens after it
                if (sandbox.state().equals("destroying")) {
                    call.apiError(404, "Sandbox with ID or name " + sandbox.id + " not found");
                    return null;
                }
                return forwards.computeIfAbsent(key, k -> PortForward.open(host, () -> address(sandbox), port,
                        expiresAt, () -> forwards.remove(k)));
            }
        } catch (java.io.UncheckedIOException e) {
            call.apiError(500, "Could not open a preview port for port " + port + ": " + e.getCause().getMessage());
            return null;
        }
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
