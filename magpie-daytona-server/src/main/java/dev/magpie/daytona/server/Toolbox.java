package dev.magpie.daytona.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The toolbox routes under {@code /toolbox/<sandboxId>}: process execute, sessions, files and directories
 * ({@link ToolboxFiles}), version, ports and environment ({@link ToolboxInfo}), resource usage ({@link SystemMetrics}).
 * Paths are the sandbox's (relative ones resolve against its working directory); file routes refuse paths outside
 * the sandbox's directory with 403. Processes run unconfined as this server's user.
 */
final class Toolbox {

    /** The first SDK version that gets session logs as JSON. */
    static final int[] JSON_LOGS_SINCE = {0, 167, 0};

    private final DaytonaServer server;
    private final ToolboxFiles files = new ToolboxFiles();
    private final SystemMetrics metrics = new SystemMetrics();
    private final ToolboxGit git = new ToolboxGit();

    Toolbox(DaytonaServer server) {
        this.server = server;
    }

    static String codeFor(int status) {
        switch (status) {
            case 400: return "BAD_REQUEST";
            case 401: return "UNAUTHORIZED";
            case 403: return "FORBIDDEN";
            case 404: return "NOT_FOUND";
            case 408: return "REQUEST_TIMEOUT";
            case 409: return "CONFLICT";
            case 410: return "GONE";
            case 413: return "REQUEST_TOO_LARGE";
            default: return "INTERNAL_SERVER_ERROR";
        }
    }

    void handle(Call call, String rest) throws IOException {
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash);
        String route = slash < 0 ? "/" : rest.substring(slash);
        Optional<LocalSandbox> found = server.sandboxes().find(id);
        if (found.isEmpty()) {
            call.toolboxError(404, "NOT_FOUND", "Sandbox " + id + " not found");
            return;
        }
        LocalSandbox sandbox = found.get();
        sandbox.touch(server.clock().now());
        if (!sandbox.isStarted()) {
            call.toolboxError(409, "CONFLICT", "Sandbox " + id + " is not started (state " + sandbox.state() + ")");
            return;
        }
        if (route.equals("/work-dir") || route.equals("/user-home-dir")) {
            call.json(200, Map.of("dir", sandbox.runtime.home(sandbox)));
        } else if (ToolboxInfo.handle(call, sandbox, route)) {
            return;
        } else if (route.equals("/system/metrics") && call.method.equals("GET")) {
            metrics.handle(call, sandbox);
        } else if (route.startsWith("/files")) {
            files.handle(call, sandbox, route);
        } else if (route.startsWith("/git/")) {
            git.handle(call, sandbox, route);
        } else if (route.equals("/process/code-run") && call.method.equals("POST")) {
            ToolboxCodeRun.handle(call, sandbox);
        } else if (route.equals("/process/execute") && call.method.equals("POST")) {
            execute(call, sandbox);
        } else if (route.startsWith("/process/pty")) {
            PtySessions.handle(call, sandbox, route.substring("/process/pty".length()));
        } else if (route.startsWith("/process/session")) {
            sessions(call, sandbox, route.substring("/process/session".length()));
        } else {
            call.toolboxError(404, "NOT_FOUND", "No toolbox route " + call.method + " " + route);
        }
    }

    /**
     * Runs the command with its output going to a file, and replies once the shell exits with what the file holds
     * then: a background child that keeps the output open neither blocks the reply nor loses the shell's output
     * (the daemon too returns when the shell exits), and output of any size passes through a bounded buffer.
     */
    private void execute(Call call, LocalSandbox sandbox) throws IOException {
        JsonNode body = call.json();
        if (!body.hasNonNull("command")) {
            call.toolboxError(400, "INVALID_REQUEST_BODY", "command is required");
            return;
        }
        if (body.get("command").asText().isBlank()) {
            call.toolboxError(400, "BAD_REQUEST", "command cannot be empty or whitespace-only");
            return;
        }
        String cwd = body.hasNonNull("cwd") ? body.get("cwd").asText() : null;
        Map<String, String> env = ToolboxCodeRun.envs(body);
        long timeout = body.path("timeout").asLong(0);
        Path output = Files.createTempFile(Files.createDirectories(sandbox.logs()), "execute-", ".out");
        try {
            Process process;
            try {
                process = sandbox.exec(body.get("command").asText(), cwd, env, true, output);
            } catch (IOException e) {
                call.json(200, Map.of("exitCode", -1, "result", "failed to start: " + e.getMessage()));
                return;
            }
            reply(call, sandbox, process, timeout, output);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static void reply(Call call, LocalSandbox sandbox, Process process, long timeout, Path output)
            throws IOException {
        if (!awaitExit(call, sandbox, process, timeout)) {
            return;
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("exitCode", process.exitValue());
        reply.put("result", new StreamedJson.FileText(output, Files.size(output)));
        StreamedJson.reply(call, 200, reply);
    }

    /**
     * Closes the command's input and waits for it to exit, at most {@code timeout} seconds when positive: when
     * it does not, kills it and replies 408 as the daemon does.
     *
     * @return whether it exited; when not, the call is answered (or the thread interrupted)
     */
    static boolean awaitExit(Call call, LocalSandbox sandbox, Process process, long timeout) throws IOException {
        process.getOutputStream().close();
        try {
            boolean done = timeout > 0 ? process.waitFor(timeout, TimeUnit.SECONDS) : waitForever(process);
            if (!done) {
                sandbox.runtime.kill(sandbox, process);
                call.toolboxError(408, "PROCESS_EXECUTION_TIMEOUT", "command execution timeout after "
                        + timeout + " seconds");
            }
            return done;
        } catch (InterruptedException e) {
            sandbox.runtime.kill(sandbox, process);
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean waitForever(Process process) throws InterruptedException {
        process.waitFor();
        return true;
    }

    private void sessions(Call call, LocalSandbox sandbox, String route) throws IOException {
        String[] p = route.replaceAll("^/+", "").split("/");
        if (route.isEmpty() || route.equals("/")) {
            if (call.method.equals("POST")) {
                String sid = call.json().path("sessionId").asText("");
                if (sid.isBlank()) {
                    call.toolboxError(400, "INVALID_REQUEST_BODY", "sessionId is required");
                } else if (sandbox.sessions.putIfAbsent(sid, new Session(sid, sandbox)) != null) {
                    call.toolboxError(409, "CONFLICT", "session " + sid + " already exists");
                } else {
                    call.empty(201);
                }
            } else if (call.method.equals("GET")) {
                List<Object> all = new ArrayList<>();
                sandbox.sessions.values().forEach(s -> all.add(sessionJson(s)));
                call.json(200, all);
            } else {
                call.toolboxError(404, "NOT_FOUND", "No route " + call.method + " /process/session");
            }
            return;
        }
        Session session = sandbox.sessions.get(p[0]);
        if (session == null) {
            call.toolboxError(404, "NOT_FOUND", "session " + p[0] + " not found");
            return;
        }
        if (p.length == 1 && call.method.equals("GET")) {
            call.json(200, sessionJson(session));
        } else if (p.length == 1 && call.method.equals("DELETE")) {
            session.kill();
            sandbox.sessions.remove(session.id);
            call.empty(204);
        } else if (p.length == 2 && p[1].equals("exec") && call.method.equals("POST")) {
            sessionExec(call, sandbox, session);
        } else if (p.length == 4 && p[1].equals("command") && p[3].equals("input") && call.method.equals("POST")
                && session.commands.containsKey(p[2])) {
            SessionLogs.input(call, session.commands.get(p[2]));
        } else if (p.length >= 3 && p[1].equals("command") && call.method.equals("GET")) {
            Session.Command command = session.commands.get(p[2]);
            if (command == null) {
                call.toolboxError(404, "NOT_FOUND", "command " + p[2] + " not found");
            } else if (p.length == 3) {
                call.json(200, commandJson(command));
            } else if (p.length == 4 && p[3].equals("logs")) {
                logs(call, command);
            } else {
                call.toolboxError(404, "NOT_FOUND", "No route " + route);
            }
        } else {
            call.toolboxError(404, "NOT_FOUND", "No route " + call.method + " /process/session" + route);
        }
    }

    private void sessionExec(Call call, LocalSandbox sandbox, Session session) throws IOException {
        JsonNode body = call.json();
        if (!body.hasNonNull("command")) {
            call.toolboxError(400, "INVALID_REQUEST_BODY", "command is required");
            return;
        }
        boolean async = body.path("runAsync").asBoolean(false) || body.path("async").asBoolean(false);
        Session.Command command = session.start(body.get("command").asText(), async);
        if (async) {
            call.json(202, Map.of("cmdId", command.id));
            return;
        }
        int exitCode;
        try {
            exitCode = command.awaitExit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // the server is closing
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("cmdId", command.id);
        reply.put("exitCode", exitCode);
        reply.putAll(command.logs());
        StreamedJson.reply(call, 200, reply);
    }

    private void logs(Call call, Session.Command command) throws IOException {
        if (jsonLogs(call.header("X-Daytona-SDK-Version"))) {
            StreamedJson.reply(call, 200, command.logs());
        } else {
            StreamedJson.FileText merged = command.merged();
            try (InputStream in = Files.newInputStream(merged.file())) {
                call.stream(200, "text/plain; charset=utf-8", merged.length(),
                        out -> ReplyStream.copy(in, out, merged.length()), new byte[0]);
            }
        }
    }

    /** Whether the SDK version header asks for the JSON shape of session logs. */
    static boolean jsonLogs(String version) {
        if (version == null) {
            return false;
        }
        String[] parts = version.trim().replaceFirst("^v", "").split("[.\\-+]");
        for (int i = 0; i < 3; i++) {
            int have;
            try {
                have = i < parts.length ? Integer.parseInt(parts[i]) : 0;
            } catch (NumberFormatException e) {
                return false;
            }
            if (have != JSON_LOGS_SINCE[i]) {
                return have > JSON_LOGS_SINCE[i];
            }
        }
        return true;
    }

    private static Map<String, Object> sessionJson(Session session) {
        List<Object> commands = new ArrayList<>();
        session.commands.values().forEach(c -> commands.add(commandJson(c)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sessionId", session.id);
        out.put("commands", commands);
        return out;
    }

    private static Map<String, Object> commandJson(Session.Command command) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", command.id);
        out.put("command", command.command);
        if (command.exitCode() != null) {
            out.put("exitCode", command.exitCode());
        }
        return out;
    }
}
