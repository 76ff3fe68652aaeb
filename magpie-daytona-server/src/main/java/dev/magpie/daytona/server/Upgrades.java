package dev.magpie.daytona.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The routes served over a WebSocket: the SDK's event gateway ({@code /api/socket.io/}), followed session
 * command logs ({@code /toolbox/<id>/process/session/<session>/command/<command>/logs?follow=true}) and PTY
 * sessions ({@code /toolbox/<id>/process/pty/...}, see {@link PtySessions}). A request
 * that is refused gets an HTTP error reply of the same shape as the REST routes' instead of the upgrade.
 */
final class Upgrades {

    private final DaytonaServer server;

    Upgrades(DaytonaServer server) {
        this.server = server;
    }

    /** Serves the WebSocket until it ends; the caller closes the socket. */
    void open(FrontDoor.Head head, Socket socket, InputStream in) throws IOException {
        String path = head.path();
        String key = head.header("Sec-WebSocket-Key");
        if (key == null || key.isBlank()) {
            refuse(socket, 400, "BAD_REQUEST", head, "A WebSocket upgrade needs a Sec-WebSocket-Key header");
            return;
        }
        if (path.equals("/api/socket.io/") || path.equals("/api/socket.io")) {
            // the gateway's credentials come in its first message, as socket.io sends them
            server.events().serve(WebSocket.accept(head, socket, in));
            return;
        }
        String[] p = path.replaceAll("^/+", "").split("/");
        if (p.length < 3 || !p[0].equals("toolbox")) {
            refuse(socket, 404, "NOT_FOUND", head, "No WebSocket route " + path);
            return;
        }
        String auth = head.header("Authorization");
        if (auth == null || !auth.equals("Bearer " + server.apiKey())) {
            refuse(socket, 401, "UNAUTHORIZED", head, auth == null ? "Missing Authorization header"
                    : "Invalid credentials");
            return;
        }
        Optional<LocalSandbox> sandbox = server.sandboxes().find(p[1]);
        if (sandbox.isEmpty() || !sandbox.get().isStarted()) {
            refuse(socket, sandbox.isEmpty() ? 404 : 409, sandbox.isEmpty() ? "NOT_FOUND" : "CONFLICT", head,
                    "Sandbox " + p[1] + (sandbox.isEmpty() ? " not found" : " is not started"));
            return;
        }
        sandbox.get().touch(server.clock().now());
        String route = path.substring(path.indexOf("/" + p[1], path.indexOf("toolbox")) + 1 + p[1].length());
        if (route.startsWith("/process/pty/")) {
            PtySessions.connect(head, socket, in, sandbox.get(), route);
            return;
        }
        if (p.length != 8 || !p[2].equals("process") || !p[3].equals("session") || !p[5].equals("command")
                || !p[7].equals("logs")) {
            refuse(socket, 404, "NOT_FOUND", head, "No WebSocket route " + path);
            return;
        }
        Session session = sandbox.get().sessions.get(p[4]);
        Session.Command command = session == null ? null : session.commands.get(p[6]);
        if (command == null) {
            refuse(socket, 404, "NOT_FOUND", head, (session == null ? "session " + p[4] : "command " + p[6])
                    + " not found");
            return;
        }
        SessionLogs.follow(WebSocket.accept(head, socket, in), command);
    }

    /** The query parameters of a request target, decoded; the first of a repeated name wins. */
    static Map<String, String> query(String target) {
        Map<String, String> out = new LinkedHashMap<>();
        int q = target.indexOf('?');
        if (q < 0) {
            return out;
        }
        for (String pair : target.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            out.putIfAbsent(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The toolbox's error body, as an HTTP reply in place of the upgrade. */
    static void refuse(Socket socket, int status, String code, FrontDoor.Head head, String message)
            throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("statusCode", status);
        error.put("message", message);
        error.put("code", code);
        error.put("timestamp", Instant.now().toString());
        error.put("path", head.path());
        error.put("method", head.method());
        error.put("source", "DAYTONA_DAEMON");
        byte[] body = Call.JSON.writeValueAsBytes(error);
        String reply = "HTTP/1.1 " + status + " " + Call.reason(status) + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(reply.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }
}
