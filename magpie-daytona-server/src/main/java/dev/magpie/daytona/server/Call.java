package dev.magpie.daytona.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request being served: its line and headers read up front, its body only when a route asks for it (after the
 * credentials were checked), and the reply written once and remembered. A reply that fails after its status was
 * sent closes the connection, so the client sees a failure rather than a short or endless body.
 */
final class Call {

    static final ObjectMapper JSON = new ObjectMapper();
    /** The largest body read into memory; larger ones are refused with 413 (uploads go to disk instead). */
    static final long MAX_BODY = 64L << 20;
    /** A body is kept for observers up to this size. */
    private static final int RECORDED_BODY = 1 << 20;

    /** Writes a streamed reply body. */
    interface BodyWriter {
        void write(OutputStream out) throws IOException;
    }

    final HttpExchange exchange;
    final String method;
    final String path;
    final String query;
    final Map<String, String> params;
    private byte[] body;
    private byte[] recordedBody = new byte[0];
    private boolean spooled;
    private int status;
    private byte[] replyBody = new byte[0];
    private final Map<String, String> extraHeaders = new HashMap<>();
    private boolean dropReply;
    private boolean answered;

    private final java.util.function.Consumer<RecordedExchange> observer;
    private boolean observed;

    /** The observer sees the exchange before the client gets the reply, so a client never runs ahead of it. */
    Call(HttpExchange exchange, java.util.function.Consumer<RecordedExchange> observer) throws IOException {
        this.exchange = exchange;
        this.observer = observer;
        this.method = exchange.getRequestMethod();
        this.path = exchange.getRequestURI().getRawPath();
        String raw = exchange.getRequestURI().getRawQuery();
        this.query = raw == null ? "" : raw;
        this.params = parseQuery(query);
    }

    /** The request body, read on first use. */
    byte[] body() {
        if (body == null) {
            long announced = contentLength();
            if (announced > MAX_BODY) {
                throw tooLarge(announced);
            }
            try (InputStream in = exchange.getRequestBody()) {
                byte[] read = in.readNBytes((int) MAX_BODY + 1);
                if (read.length > MAX_BODY) {
                    throw tooLarge(read.length);
                }
                body = read;
                recordedBody = read.length <= RECORDED_BODY ? read : new byte[0];
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read the body of " + method + " " + path, e);
            }
        }
        return body;
    }

    /** Streams the request body into a new file in the directory; the caller deletes it. */
    Path spoolBody(Path directory) throws IOException {
        spooled = true;
        Path file = Files.createTempFile(directory, ".request-", ".body");
        try (InputStream in = exchange.getRequestBody()) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return file;
    }

    /** A small body no route read (the call was refused before) is still shown to observers. */
    private void recordUnreadBody() {
        if (body != null || spooled) {
            return;
        }
        try {
            long announced = contentLength();
            if (announced >= 0 && announced <= RECORDED_BODY) {
                body();
            }
        } catch (RuntimeException e) {
            // a body that cannot be read is recorded as empty
        }
    }

    private long contentLength() {
        String value = header("Content-Length");
        try {
            return value == null ? -1 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new BadRequest("Content-Length must be a number, was '" + value + "'");
        }
    }

    private BadRequest tooLarge(long size) {
        return new BadRequest(413, "The request body of " + size + " bytes is over the " + MAX_BODY
                + " bytes this server reads for " + method + " " + path + "; send less.");
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    JsonNode json() {
        try {
            byte[] bytes = body();
            return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        } catch (IOException e) {
            throw new BadRequest("The request body is not valid JSON: " + e.getMessage());
        }
    }

    void header(String name, String value) {
        extraHeaders.put(name, value);
    }

    void headers(Map<String, String> values) {
        extraHeaders.putAll(values);
    }

    boolean replied() {
        return answered;
    }

    /** Handle the request, but send no reply: the dispatcher then closes the connection. */
    void dropReply() {
        dropReply = true;
    }

    void json(int code, Object value) throws IOException {
        send(code, "application/json", JSON.writeValueAsBytes(value));
    }

    void empty(int code) throws IOException {
        send(code, null, new byte[0]);
    }

    /** The control plane's error body: statusCode, error, message, path, timestamp. */
    void apiError(int code, String message) throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("statusCode", code);
        error.put("error", reason(code));
        error.put("message", message);
        error.put("path", path);
        error.put("timestamp", Instant.now().toString());
        json(code, error);
    }

    /** The toolbox's error body: statusCode, message, code, timestamp, path, method, source. */
    void toolboxError(int code, String errorCode, String message) throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("statusCode", code);
        error.put("message", message);
        error.put("code", errorCode);
        error.put("timestamp", Instant.now().toString());
        error.put("path", path);
        error.put("method", method);
        error.put("source", "DAYTONA_DAEMON");
        json(code, error);
    }

    void send(int code, String contentType, byte[] bytes) throws IOException {
        if (replied()) {
            throw new IllegalStateException("already replied to " + method + " " + path);
        }
        answered = true;
        if (dropReply) {
            return;
        }
        status = code;
        replyBody = bytes;
        extraHeaders.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        observe();
        boolean noBody = bytes.length == 0;
        exchange.sendResponseHeaders(code, noBody ? -1 : bytes.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /**
     * Sends the status and headers, then the body the writer streams: {@code length} bytes, or chunks when it is
     * negative. When the writer fails, the connection is closed before the body is complete.
     *
     * @param recorded what observers see as the reply body
     */
    void stream(int code, String contentType, long length, BodyWriter writer, byte[] recorded) throws IOException {
        if (replied()) {
            throw new IllegalStateException("already replied to " + method + " " + path);
        }
        answered = true;
        if (dropReply) {
            return;
        }
        status = code;
        replyBody = recorded;
        extraHeaders.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.getResponseHeaders().set("Content-Type", contentType);
        observe();
        ReplyStream out = new ReplyStream(exchange.getResponseBody());
        exchange.setStreams(null, out);
        exchange.sendResponseHeaders(code, length == 0 ? -1 : length < 0 ? 0 : length);
        try {
            writer.write(out);
        } catch (IOException | RuntimeException | Error e) {
            out.abort();
            throw e;
        }
        out.close();
    }


    /** Gives the exchange to the observer, once. */
    void observe() {
        if (!observed) {
            observed = true;
            observer.accept(record());
        }
    }

    RecordedExchange record() {
        recordUnreadBody();
        return new RecordedExchange(method, path, query, exchange.getRequestHeaders(), recordedBody, status,
                status == 0 ? Map.of() : exchange.getResponseHeaders(), status == 0 ? new byte[0] : replyBody);
    }

    static String reason(int code) {
        switch (code) {
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 408: return "Request Timeout";
            case 409: return "Conflict";
            case 429: return "Too Many Requests";
            case 500: return "Internal Server Error";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            default: return code >= 500 ? "Server Error" : "Error";
        }
    }

    private static Map<String, String> parseQuery(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(key, value);
        }
        return out;
    }

    /** A request the server refuses with 400 (or the given status) and this message. */
    static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        BadRequest(String message) {
            this(400, message);
        }

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
