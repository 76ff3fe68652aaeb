package dev.magpie.daytona.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The event gateway the official SDK subscribes to ({@code /api/socket.io/}): Socket.IO 4 (Engine.IO 4) over a
 * WebSocket only, as the SDK connects. A client authenticates with the API key in its connect message and then
 * receives {@code sandbox.state.updated} for every state change of every sandbox, as
 * {@code {"sandbox": <Sandbox>, "oldState": .., "newState": ..}}; the SDK resolves its waits on these instead of
 * its one-second safety poll.
 */
final class EventGateway {

    private static final long PING_INTERVAL_MILLIS = 25_000;
    private static final long PING_TIMEOUT_MILLIS = 20_000;

    /**
     * How many packets may wait to be sent to a subscriber, and how long an announcement waits for room before the
     * subscriber is disconnected (the SDK then reconnects): each is sent by an {@link Outbox}, as announcements come
     * from request threads and the clock's one thread, with the sandbox's lock held, which a client that does not
     * read would otherwise hold up for good.
     */
    private static final int MAX_BEHIND = 256;
    private static final long MAX_WAIT_MILLIS = 1_000;

    private final DaytonaServer server;
    private final Map<WebSocket, Outbox> subscribers = new ConcurrentHashMap<>();

    EventGateway(DaytonaServer server) {
        this.server = server;
        schedulePing();
    }

    /** Serves one client until it leaves: the Engine.IO handshake, the Socket.IO connect, then pings. */
    void serve(WebSocket ws) throws IOException {
        try {
            Map<String, Object> open = new LinkedHashMap<>();
            open.put("sid", UUID.randomUUID().toString());
            open.put("upgrades", List.of());
            open.put("pingInterval", PING_INTERVAL_MILLIS);
            open.put("pingTimeout", PING_TIMEOUT_MILLIS);
            open.put("maxPayload", 1_000_000);
            ws.sendText("0" + Call.JSON.writeValueAsString(open));
            // a client connects at once; one that stays silent is let go, as Engine.IO lets go of one that
            // answers no ping (subscribers are pinged every PING_INTERVAL_MILLIS)
            ws.readTimeout(server.headTimeout());
            String packet;
            while ((packet = ws.readText()) != null) {
                if (packet.startsWith("40")) {
                    connect(ws, packet.substring(2));
                } else if (packet.equals("2")) {
                    ws.sendText("3");
                } else if (packet.startsWith("41") || packet.equals("1")) {
                    unsubscribe(ws);
                    if (packet.equals("1")) {
                        break;
                    }
                }
            }
        } finally {
            unsubscribe(ws);
            ws.close();
        }
    }

    private void unsubscribe(WebSocket ws) {
        Outbox outbox = subscribers.remove(ws);
        if (outbox != null) {
            outbox.cancel();
        }
    }

    /** The Socket.IO connect to the main namespace, carrying {@code {"token": <api key>}}. */
    private void connect(WebSocket ws, String auth) throws IOException {
        String token = null;
        if (!auth.isBlank()) {
            JsonNode node = Call.JSON.readTree(auth);
            token = node.path("token").asText(null);
        }
        if (!server.apiKey().equals(token)) {
            ws.sendText("44" + Call.JSON.writeValueAsString(Map.of("message", token == null
                    ? "Missing token: connect with auth {token: <API key>}" : "Invalid credentials")));
            return;
        }
        ws.sendText("40" + Call.JSON.writeValueAsString(Map.of("sid", UUID.randomUUID().toString())));
        ws.readTimeout(Duration.ofMillis(PING_INTERVAL_MILLIS + PING_TIMEOUT_MILLIS));
        subscribers.computeIfAbsent(ws, w -> new Outbox(w, MAX_BEHIND, MAX_WAIT_MILLIS, "daytona-gateway-send"));
    }

    /** Announces the sandbox's present state, after {@code oldState}. */
    void announce(LocalSandbox sandbox, String oldState) {
        send(sandbox, oldState, sandbox.state());
    }

    /** Announces that the sandbox was deleted. */
    void destroyed(LocalSandbox sandbox, String oldState) {
        send(sandbox, oldState, "destroyed");
    }

    /** Announces the sandbox's timed changes of a (re)start: to {@code starting}, then {@code started}. */
    void watch(LocalSandbox sandbox) {
        String now = sandbox.state();
        if (now.equals("creating")) {
            server.clock().at(sandbox.creatingUntilNanos(), () -> announceIfStill(sandbox, "creating"));
        }
        if (now.equals("creating") || now.equals("starting")) {
            server.clock().at(sandbox.startedAtNanos(), () -> announceIfStill(sandbox, "starting"));
        }
    }

    private void announceIfStill(LocalSandbox sandbox, String before) {
        if (server.sandboxes().find(sandbox.id).isPresent() && !sandbox.state().equals(before)) {
            announce(sandbox, before);
        }
    }

    private void send(LocalSandbox sandbox, String oldState, String newState) {
        if (subscribers.isEmpty()) {
            return;
        }
        Map<String, Object> event = new LinkedHashMap<>();
        Map<String, Object> dto = sandbox.toJson(server.toolboxProxyUrl());
        dto.put("state", newState);
        event.put("sandbox", dto);
        event.put("oldState", oldState);
        event.put("newState", newState);
        String packet;
        try {
            packet = "42" + Call.JSON.writeValueAsString(List.of("sandbox.state.updated", event));
        } catch (IOException e) {
            throw new IllegalStateException("a sandbox is always JSON", e);
        }
        subscribers.values().forEach(outbox -> outbox.text(packet));
    }

    /** Engine.IO 4: the server pings, and a client that hears no ping for a while reconnects. */
    private void schedulePing() {
        server.clock().at(server.clock().now() + TimeUnit.MILLISECONDS.toNanos(PING_INTERVAL_MILLIS), () -> {
            subscribers.values().forEach(outbox -> outbox.text("2"));
            schedulePing();
        });
    }
}
