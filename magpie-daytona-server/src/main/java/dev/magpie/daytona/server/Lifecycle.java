package dev.magpie.daytona.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The sandbox lifecycle: the control-plane routes that stop, start, archive and recover a sandbox, replace its
 * labels and set its auto-stop, auto-archive and auto-delete intervals; and the enforcement of auto-stop and
 * auto-delete on the {@link SandboxClock}. Stopping ends every process of the sandbox (its sessions go with them)
 * and closes its preview ports, and keeps its files; starting makes it ready again after the server's start delay. Every state change is
 * announced on the {@link EventGateway}.
 */
final class Lifecycle {

    private final DaytonaServer server;

    Lifecycle(DaytonaServer server) {
        this.server = server;
        server.clock().every(this::sweep);
    }

    /** Serves {@code /sandbox/<id>/<action>[/<interval>]}; false when the path is none of the lifecycle's. */
    boolean handle(Call call, String[] parts) throws IOException {
        if (parts.length < 3 || !parts[0].equals("sandbox")) {
            return false;
        }
        String action = parts[2];
        boolean known = parts.length == 3 && (call.method.equals("POST") && (action.equals("start")
                || action.equals("stop") || action.equals("archive") || action.equals("recover")
                || action.equals("last-activity")) || call.method.equals("PUT") && action.equals("labels"))
                || parts.length == 4 && call.method.equals("POST") && intervalKey(action) != null;
        if (!known) {
            return false;
        }
        Optional<LocalSandbox> found = server.sandboxes().find(parts[1]);
        if (found.isEmpty()) {
            call.apiError(404, "Sandbox with ID or name " + parts[1] + " not found");
            return true;
        }
        LocalSandbox sandbox = found.get();
        if (parts.length == 4) {
            setInterval(call, sandbox, action, parts[3]);
            return true;
        }
        switch (action) {
            case "start": start(call, sandbox); break;
            case "stop": stop(sandbox); reply(call, sandbox); break;
            case "archive": archive(call, sandbox); break;
            case "recover": recover(call, sandbox); break;
            case "labels": labels(call, sandbox); break;
            default:
                sandbox.touch(server.clock().now());
                call.empty(201);
        }
        return true;
    }

    private void start(Call call, LocalSandbox sandbox) throws IOException {
        synchronized (sandbox) {
            startHalted(call, sandbox);
        }
    }

    private void startHalted(Call call, LocalSandbox sandbox) throws IOException {
        String state = sandbox.state();
        if (state.equals("error")) {
            call.apiError(400, "Sandbox " + sandbox.id + " is in an error state and cannot start; delete it and "
                    + "create another");
            return;
        }
        if (state.equals("stopped") || state.equals("archived")) {
            try {
                sandbox.runtime.start(sandbox);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start sandbox " + sandbox.id + " again", e);
            }
            sandbox.restart(server.startDelay(), server.clock().now());
            server.events().announce(sandbox, state);
            server.events().watch(sandbox);
        }
        reply(call, sandbox);
    }

    /**
     * Ends every process of the sandbox and its sessions; its files stay. A halted sandbox stays as it is. Changes
     * of one sandbox's state take its lock, as the sweep and a request may race.
     */
    void stop(LocalSandbox sandbox) {
        synchronized (sandbox) {
            halt(sandbox);
        }
    }

    private void halt(LocalSandbox sandbox) {
        String before = sandbox.state();
        if (before.equals("stopped") || before.equals("archived") || before.equals("destroying")) {
            return;
        }
        sandbox.killAll();
        server.previews().close(sandbox);
        sandbox.runtime.stop(sandbox);
        sandbox.halt("stopped", server.clock().now());
        server.events().announce(sandbox, before);
    }

    private void archive(Call call, LocalSandbox sandbox) throws IOException {
        synchronized (sandbox) {
            archiveStopped(call, sandbox);
        }
    }

    private void archiveStopped(Call call, LocalSandbox sandbox) throws IOException {
        String state = sandbox.state();
        if (!state.equals("stopped") && !state.equals("archived")) {
            call.apiError(400, "Sandbox " + sandbox.id + " is " + state + "; stop it before archiving it");
            return;
        }
        if (state.equals("stopped")) {
            // an archived sandbox still counts as stopped since it was stopped, for auto-delete
            long stoppedAt = sandbox.lastEventNanos();
            sandbox.halt("archived", stoppedAt);
            server.events().announce(sandbox, state);
        }
        reply(call, sandbox);
    }

    /** No sandbox of this server is ever in a recoverable error: recover refuses as Daytona does then. */
    private void recover(Call call, LocalSandbox sandbox) throws IOException {
        call.apiError(400, "Sandbox " + sandbox.id + " is " + sandbox.state() + ", not in a recoverable error "
                + "state; only a sandbox whose state is error and recoverable true can be recovered");
    }

    private void labels(Call call, LocalSandbox sandbox) throws IOException {
        JsonNode labels = call.json().get("labels");
        if (labels == null || !labels.isObject()) {
            call.apiError(400, "The body must be {\"labels\": {...}}, an object of string values");
            return;
        }
        Map<String, String> replaced = new LinkedHashMap<>();
        labels.fields().forEachRemaining(e -> replaced.put(e.getKey(), e.getValue().asText()));
        sandbox.labels = Map.copyOf(replaced);
        call.json(200, Map.of("labels", replaced));
    }

    private void setInterval(Call call, LocalSandbox sandbox, String action, String raw) throws IOException {
        int minutes;
        try {
            minutes = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            call.apiError(400, action + " interval must be a whole number of minutes, was '" + raw + "'");
            return;
        }
        if (minutes < 0 && !action.equals("autodelete")) {
            call.apiError(400, action + " interval must not be negative, was " + minutes);
            return;
        }
        sandbox.intervals.put(intervalKey(action), minutes);
        sandbox.touch(server.clock().now());
        reply(call, sandbox);
    }

    private static String intervalKey(String action) {
        switch (action) {
            case "autostop": return "autoStopInterval";
            case "autoarchive": return "autoArchiveInterval";
            case "autodelete": return "autoDeleteInterval";
            default: return null;
        }
    }

    /**
     * Stops the started sandboxes idle for their auto-stop interval (0 never), and deletes the halted ones
     * stopped for their auto-delete interval (negative never, 0 at once).
     */
    private void sweep() {
        long now = server.clock().now();
        for (LocalSandbox sandbox : server.sandboxes().all()) {
            synchronized (sandbox) {
                enforce(sandbox, now);
            }
        }
    }

    private void enforce(LocalSandbox sandbox, long now) {
        String state = sandbox.state();
        long since = now - sandbox.lastEventNanos();
        int autoStop = (Integer) sandbox.intervals.get("autoStopInterval");
        int autoDelete = (Integer) sandbox.intervals.get("autoDeleteInterval");
        if (state.equals("started") && autoStop > 0 && since >= server.clock().minutes(autoStop)) {
            halt(sandbox);
        } else if ((state.equals("stopped") || state.equals("archived")) && autoDelete >= 0
                && since >= server.clock().minutes(autoDelete)) {
            server.sandboxes().delete(sandbox);
            server.events().destroyed(sandbox, state);
        }
    }

    private void reply(Call call, LocalSandbox sandbox) throws IOException {
        call.json(200, sandbox.toJson(ControlPlane.proxyUrl(server, call)));
    }
}
