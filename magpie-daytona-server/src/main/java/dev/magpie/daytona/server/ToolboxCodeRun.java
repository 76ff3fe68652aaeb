package dev.magpie.daytona.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The toolbox's {@code POST /process/code-run}: code of a language (python, javascript, typescript) run by its
 * interpreter inside the sandbox, with arguments, variables and a timeout, answered as the daemon answers: the
 * merged output, the exit code, and the charts the code reported on lines of the daemon's artifact marker (the
 * daemon's own matplotlib capture is not reproduced).
 */
final class ToolboxCodeRun {

    /** The prefix of an output line that carries an artifact as JSON rather than output. */
    static final String ARTIFACT_MARKER = "dtn_artifact_k39fd2:";

    private ToolboxCodeRun() {
    }

    static void handle(Call call, LocalSandbox sandbox) throws IOException {
        JsonNode body = call.json();
        if (!body.path("code").isTextual() || !body.path("language").isTextual()) {
            call.toolboxError(400, "INVALID_REQUEST_BODY", "code and language are required strings");
            return;
        }
        String command = command(body.get("language").asText(), body.get("code").asText(), argv(body));
        Map<String, String> env = envs(body);
        long timeout = body.path("timeout").asLong(0);
        Path logs = Files.createDirectories(sandbox.logs());
        Path output = Files.createTempFile(logs, "code-run-", ".out");
        Path cleaned = Files.createTempFile(logs, "code-run-", ".result");
        try {
            Process process;
            try {
                process = sandbox.exec(command, null, env, true, output);
            } catch (IOException e) {
                call.json(200, Map.of("exitCode", -1, "result", "failed to start: " + e.getMessage()));
                return;
            }
            if (!Toolbox.awaitExit(call, sandbox, process, timeout)) {
                return;
            }
            List<Object> charts = separateArtifacts(output, cleaned);
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("exitCode", process.exitValue());
            reply.put("result", new StreamedJson.FileText(cleaned, Files.size(cleaned)));
            if (!charts.isEmpty()) {
                reply.put("artifacts", Map.of("charts", charts));
            }
            StreamedJson.reply(call, 200, reply);
        } finally {
            Files.deleteIfExists(output);
            Files.deleteIfExists(cleaned);
        }
    }

    /** The shell command that runs the code, passed base64-encoded so that no character of it reaches the shell. */
    private static String command(String language, String code, String argv) {
        Base64.Encoder base64 = Base64.getEncoder();
        switch (language) {
            case "python":
                return "printf '%s' '" + base64.encodeToString(code.getBytes(StandardCharsets.UTF_8))
                        + "' | base64 -d | python3 -u - " + argv;
            case "javascript":
                // as the daemon does, node's "-" leaves process.argv: the arguments follow node, from index 1
                return "printf '%s' '" + base64.encodeToString(("process.argv.splice(1, 1);\n" + code)
                        .getBytes(StandardCharsets.UTF_8)) + "' | base64 -d | node - " + argv;
            case "typescript":
                return "_f=/tmp/dtn_$$.ts; printf '%s' '" + base64.encodeToString(("process.argv.splice(1, 1);\n"
                        + code).getBytes(StandardCharsets.UTF_8)) + "' | base64 -d > \"$_f\"; "
                        + "npm_config_loglevel=error npx --no ts-node -T --ignore-diagnostics 5107 "
                        + "-O '{\"module\":\"CommonJS\"}' \"$_f\" " + argv
                        + "; _dtn_ec=$?; rm -f \"$_f\"; exit $_dtn_ec";
            default:
                throw new Call.BadRequest("unsupported language: " + language
                        + " (supported: python, javascript, typescript)");
        }
    }

    /** The arguments joined by spaces, as the daemon passes them: the shell splits and expands them. */
    private static String argv(JsonNode body) {
        List<String> words = new ArrayList<>();
        body.path("argv").forEach(word -> words.add(word.asText()));
        return String.join(" ", words);
    }

    /** The request's {@code envs}, their names checked as the daemon checks them. */
    static Map<String, String> envs(JsonNode body) {
        Map<String, String> env = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) body.path("envs")::fields) {
            if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new Call.BadRequest("invalid environment variable name: '" + e.getKey() + "'");
            }
            env.put(e.getKey(), e.getValue().asText());
        }
        return env;
    }

    /**
     * Copies the output to {@code cleaned} without its artifact lines, and returns the charts those carried;
     * a line whose JSON does not parse is dropped, as the daemon drops it.
     */
    private static List<Object> separateArtifacts(Path output, Path cleaned) throws IOException {
        List<Object> charts = new ArrayList<>();
        byte[] marker = ARTIFACT_MARKER.getBytes(StandardCharsets.UTF_8);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(output));
             OutputStream out = new BufferedOutputStream(Files.newOutputStream(cleaned))) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean first = true;
            int b;
            do {
                b = in.read();
                if (b != '\n' && b != -1) {
                    line.write(b);
                    continue;
                }
                byte[] bytes = line.toByteArray();
                line.reset();
                if (startsWith(bytes, marker)) {
                    chart(new String(bytes, marker.length, bytes.length - marker.length, StandardCharsets.UTF_8),
                            charts);
                    continue;
                }
                if (!first) {
                    out.write('\n');
                }
                out.write(bytes);
                first = false;
            } while (b != -1);
        }
        return charts;
    }

    private static void chart(String json, List<Object> charts) {
        try {
            JsonNode artifact = Call.JSON.readTree(json.strip());
            if (artifact != null && artifact.path("type").asText().equals("chart")
                    && artifact.path("value").isObject()) {
                charts.add(artifact.get("value"));
            }
        } catch (IOException e) {
            // not an artifact after all: dropped, as the daemon drops it
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
