package dev.magpie.sandbox.daytona;

import com.fasterxml.jackson.databind.JsonNode;
import dev.magpie.sandbox.ExecRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.RequestBody;
import okio.BufferedSink;
import okio.Okio;
import okio.Source;

/**
 * The toolbox of one sandbox ({@code <toolboxProxyUrl>/<sandboxId>}): process execute, sessions and files.
 * Paths are the sandbox's absolute paths. Thread-safe.
 */
public final class DaytonaToolbox {

    private static final MediaType OCTETS = MediaType.get("application/octet-stream");

    /** The merged-output reply of {@code process/execute}. */
    public record ExecuteResult(int exitCode, String result) {
    }

    /** A session command's state: its exit code once it finished. */
    public record CommandStatus(String id, Optional<Integer> exitCode) {
    }

    /** A session command's output, split and merged. */
    public record Logs(String stdout, String stderr, String output) {
    }

    /** One entry of a directory listing. */
    public record FileEntry(String name, boolean directory, long size) {
    }

    private final Http http;
    private final HttpUrl base;
    private final String sandboxId;

    DaytonaToolbox(Http http, HttpUrl base, String sandboxId) {
        this.http = http;
        this.base = base;
        this.sandboxId = sandboxId;
    }

    public String sandboxId() {
        return sandboxId;
    }

    /** The toolbox base URL of this sandbox. */
    public String url() {
        return base.toString();
    }

    /** The sandbox's working directory as its daemon reports it. */
    public String workDir() {
        return http.send(Http.get(url("work-dir")), true).json().path("dir").asText();
    }

    /**
     * Runs a shell command with stdout and stderr merged. A timeout (whole seconds, when positive) that expires
     * is a {@link DaytonaApiException} with status 408: the daemon killed the command and its output is lost.
     */
    public ExecuteResult execute(String command, String cwd, Map<String, String> env, Duration timeout) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("command", command);
        if (cwd != null) {
            body.put("cwd", cwd);
        }
        if (env != null && !env.isEmpty()) {
            body.put("envs", env);
        }
        if (timeout != null && !timeout.isZero()) {
            body.put("timeout", Math.max(1, (timeout.toMillis() + 999) / 1000));
        }
        JsonNode reply = http.send(Http.post(url("process", "execute"), Http.json(body)), false).json();
        // old daemons send "code" instead of "exitCode"
        int exit = reply.has("exitCode") ? reply.get("exitCode").asInt() : reply.path("code").asInt(-1);
        return new ExecuteResult(exit, reply.path("result").asText(""));
    }

    public void createSession(String sessionId) {
        http.send(Http.post(url("process", "session"), Http.json(Map.of("sessionId", sessionId))), false);
    }

    /** Starts a command in a session without waiting; returns its id. */
    public String startCommand(String sessionId, String command) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("command", command);
        body.put("runAsync", true);
        return http.send(Http.post(url("process", "session", sessionId, "exec"), Http.json(body)), false).json()
                .path("cmdId").asText();
    }

    /**
     * Runs a command in a session and waits for it to end, streaming its output into the sinks as the reply
     * arrives ({@code start} runs before); returns its exit code. One request.
     *
     * @param limit how long to wait for the reply, or null for as long as the command runs
     * @throws Http.LostReply when the limit passed or the connection broke: the command may still run
     */
    Optional<Integer> run(String sessionId, String command, Duration limit, Runnable start, LogStream.Sink stdout,
                          LogStream.Sink stderr) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("command", command);
        body.put("runAsync", false);
        return http.sendAndWait(Http.post(url("process", "session", sessionId, "exec"), Http.json(body)), false,
                (status, headers, in) -> {
                    start.run();
                    return LogStream.readResult(in, stdout, stderr);
                }, limit);
    }

    /** The ids of the session's commands that have no exit code yet. */
    List<String> runningCommands(String sessionId) {
        List<String> running = new ArrayList<>();
        for (JsonNode command : http.send(Http.get(url("process", "session", sessionId)), true).json()
                .path("commands")) {
            JsonNode exit = command.get("exitCode");
            if (exit == null || exit.isNull()) {
                running.add(command.path("id").asText());
            }
        }
        return running;
    }

    public CommandStatus command(String sessionId, String commandId) {
        HttpUrl command = url("process", "session", sessionId, "command", commandId);
        JsonNode reply = http.send(Http.get(command), true).json();
        JsonNode exit = reply.get("exitCode");
        return new CommandStatus(commandId, exit == null || exit.isNull() ? Optional.empty() : Optional.of(exit.asInt()));
    }

    /**
     * The command's output so far, held whole; understands the JSON shape and the older marked text shape. For
     * output of any size, commands run through a workspace stream it into bounded collectors instead.
     */
    public Logs logs(String sessionId, String commandId) {
        return http.send(Http.get(logsUrl(sessionId, commandId)), true,
                (status, headers, body) -> LogStream.collect(headers.get("Content-Type"), body));
    }

    /**
     * Streams the command's output so far into the sinks as it arrives. A reply that breaks off is read again
     * from its start, after {@code start} runs again; it runs before each reading.
     */
    void logs(String sessionId, String commandId, Runnable start, LogStream.Sink stdout, LogStream.Sink stderr) {
        http.send(Http.get(logsUrl(sessionId, commandId)), true, (status, headers, body) -> {
            start.run();
            LogStream.read(headers.get("Content-Type"), body, stdout, stderr, LogStream.Sink.NONE);
            return null;
        });
    }

    private HttpUrl logsUrl(String sessionId, String commandId) {
        return url("process", "session", sessionId, "command", commandId, "logs");
    }

    /** Deletes a session, killing what still runs in it; a missing session is not an error. */
    public void deleteSession(String sessionId) {
        Http.unlessNotFound(() -> http.send(Http.delete(url("process", "session", sessionId)), true));
    }

    /** The file's bytes, or empty when there is no file at the path. */
    public Optional<byte[]> download(String path) {
        HttpUrl u = url("files", "download").newBuilder().addQueryParameter("path", path).build();
        return Http.unlessNotFound(() -> http.send(Http.get(u), true).body());
    }

    /** Writes a file, creating its parent directories. */
    public void upload(String path, byte[] content) {
        upload(path, RequestBody.create(content, OCTETS));
    }

    /** Writes the stdin of {@code request} to a file, streamed as it is read; a retry opens it again. */
    void uploadStdin(String path, ExecRequest request) {
        upload(path, new RequestBody() {
            @Override
            public MediaType contentType() {
                return OCTETS;
            }

            @Override
            public long contentLength() {
                return request.stdinLength().orElse(-1);
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                try (Source source = Okio.source(request.openStdin())) {
                    sink.writeAll(source);
                }
            }
        });
    }

    private void upload(String path, RequestBody content) {
        RequestBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
                .addFormDataPart("files[0].path", path)
                .addFormDataPart("files[0].file", fileName(path), content)
                .build();
        http.send(Http.post(url("files", "bulk-upload"), body), true);
    }

    /** Whether anything exists at the path. */
    public boolean exists(String path) {
        HttpUrl u = url("files", "info").newBuilder().addQueryParameter("path", path).build();
        return Http.unlessNotFound(() -> http.send(Http.get(u), true)).isPresent();
    }

    /** The entries of a directory, or empty when there is no directory at the path. */
    public Optional<List<FileEntry>> list(String directory) {
        HttpUrl u = url("files").newBuilder().addQueryParameter("path", directory).build();
        return Http.unlessNotFound(() -> {
            List<FileEntry> out = new ArrayList<>();
            for (JsonNode entry : http.send(Http.get(u), true).json()) {
                out.add(new FileEntry(entry.path("name").asText(), entry.path("isDir").asBoolean(),
                        entry.path("size").asLong()));
            }
            return out;
        });
    }

    /** Deletes a file or a directory tree; returns false when nothing was there. */
    public boolean delete(String path) {
        HttpUrl u = url("files").newBuilder().addQueryParameter("path", path)
                .addQueryParameter("recursive", "true").build();
        return Http.unlessNotFound(() -> http.send(Http.delete(u), true)).isPresent();
    }

    private static String fileName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    private HttpUrl url(String... segments) {
        return Http.url(base, segments);
    }

    @Override
    public String toString() {
        return "DaytonaToolbox{" + base + "}";
    }
}
