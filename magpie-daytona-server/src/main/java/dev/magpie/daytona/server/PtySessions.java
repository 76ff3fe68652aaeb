package dev.magpie.daytona.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The toolbox's PTY routes: {@code /process/pty} (list, create), {@code /process/pty/<id>} (info, kill),
 * {@code /process/pty/<id>/resize}, and the WebSockets {@code /process/pty/create-connect} and
 * {@code /process/pty/<id>/connect}.
 */
final class PtySessions {

    private static final String ENVS_PROTOCOL = "X-Daytona-Pty-Envs~";

    private PtySessions() {
    }

    static void handle(Call call, LocalSandbox sandbox, String route) throws IOException {
        String[] p = route.replaceAll("^/+", "").split("/");
        if (route.isEmpty() || route.equals("/")) {
            if (call.method.equals("GET")) {
                List<Object> sessions = new ArrayList<>();
                sandbox.ptys.values().forEach(s -> sessions.add(s.toJson()));
                call.json(200, Map.of("sessions", sessions));
            } else if (call.method.equals("POST")) {
                create(call, sandbox);
            } else {
                call.toolboxError(404, "NOT_FOUND", "No route " + call.method + " /process/pty");
            }
            return;
        }
        PtySession session = sandbox.ptys.get(p[0]);
        if (session == null) {
            call.toolboxError(404, "NOT_FOUND", "PTY session " + p[0] + " not found");
        } else if (p.length == 1 && call.method.equals("GET")) {
            call.json(200, session.toJson());
        } else if (p.length == 1 && call.method.equals("DELETE")) {
            session.kill();
            sandbox.ptys.remove(session.id);
            call.json(200, Map.of("message", "PTY session " + session.id + " killed"));
        } else if (p.length == 2 && p[1].equals("resize") && call.method.equals("POST")) {
            JsonNode body = call.json();
            int cols = body.path("cols").asInt(0);
            int rows = body.path("rows").asInt(0);
            if (cols < 1 || cols > 1000 || rows < 1 || rows > 1000) {
                call.toolboxError(400, "INVALID_REQUEST_BODY", "cols and rows must be 1-1000, were " + cols
                        + " and " + rows);
            } else if (!session.active()) {
                call.toolboxError(410, "GONE", "PTY session " + session.id + " has exited");
            } else {
                session.resize(cols, rows);
                call.json(200, session.toJson());
            }
        } else {
            call.toolboxError(404, "NOT_FOUND", "No route " + call.method + " /process/pty" + route);
        }
    }

    private static void create(Call call, LocalSandbox sandbox) throws IOException {
        JsonNode body = call.json();
        Map<String, String> envs = new LinkedHashMap<>();
        body.path("envs").fields().forEachRemaining(e -> envs.put(e.getKey(), e.getValue().asText()));
        PtySession session = open(sandbox, body.path("id").asText(""), body.path("cwd").asText(null),
                envs, body.path("cols").asInt(80), body.path("rows").asInt(24));
        if (session == null) {
            call.toolboxError(409, "CONFLICT", "PTY session " + body.path("id").asText() + " already exists");
            return;
        }
        session.start();
        call.json(201, Map.of("sessionId", session.id));
    }

    /** A new session under the id (a random one when blank), not started; null when the id is taken. */
    private static PtySession open(LocalSandbox sandbox, String id, String cwd, Map<String, String> envs, int cols,
                                   int rows) {
        String key = id.isBlank() ? UUID.randomUUID().toString() : id;
        PtySession session = new PtySession(sandbox, key, cwd, envs, Math.max(1, cols), Math.max(1, rows));
        return sandbox.ptys.putIfAbsent(key, session) == null ? session : null;
    }

    /**
     * Serves the WebSocket {@code create-connect} (a new session; its environment comes in a subprotocol token,
     * base64url of a JSON object) or {@code <id>/connect} until the client leaves or the shell exits; refuses
     * anything else with 404.
     */
    static void connect(FrontDoor.Head head, Socket socket, InputStream in, LocalSandbox sandbox, String route)
            throws IOException {
        String protocols = head.header("Sec-WebSocket-Protocol");
        boolean exitControl = PtySession.offersExitControl(protocols);
        String[] p = route.replaceAll("^/+", "").split("/");
        PtySession session;
        boolean fresh = route.equals("/process/pty/create-connect");
        if (fresh) {
            Map<String, String> query = Upgrades.query(head.target());
            session = open(sandbox, query.getOrDefault("id", ""), query.get("cwd"), envs(protocols),
                    number(query.get("cols"), 80), number(query.get("rows"), 24));
            if (session == null) {
                Upgrades.refuse(socket, 409, "CONFLICT", head, "PTY session " + query.get("id") + " already exists");
                return;
            }
        } else if (p.length == 4 && p[3].equals("connect")) {
            session = sandbox.ptys.get(p[2]);
            if (session == null) {
                Upgrades.refuse(socket, 404, "NOT_FOUND", head, "PTY session " + p[2] + " not found");
                return;
            }
        } else {
            Upgrades.refuse(socket, 404, "NOT_FOUND", head, "No WebSocket route " + head.path());
            return;
        }
        WebSocket ws = WebSocket.accept(head, socket, in, exitControl ? PtySession.EXIT_CONTROL : null);
        session.attach(ws, exitControl);
        if (fresh) {
            session.start();
        }
        session.serve(ws);
    }

    private static Map<String, String> envs(String protocols) {
        Map<String, String> out = new LinkedHashMap<>();
        if (protocols == null) {
            return out;
        }
        for (String token : protocols.split("\\s*,\\s*")) {
            if (token.startsWith(ENVS_PROTOCOL)) {
                try {
                    JsonNode json = Call.JSON.readTree(new String(Base64.getUrlDecoder().decode(
                            token.substring(ENVS_PROTOCOL.length())), StandardCharsets.UTF_8));
                    json.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
                } catch (IOException | IllegalArgumentException e) {
                    // an unreadable token carries no variables
                }
            }
        }
        return out;
    }

    private static int number(String value, int fallback) {
        try {
            return value == null ? fallback : Math.max(1, Math.min(1000, Integer.parseInt(value)));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
