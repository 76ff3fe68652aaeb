package dev.magpie.daytona.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** One request being served: its parts read up front, and the reply written once and remembered. */
final class Call {

    static final ObjectMapper JSON = new ObjectMapper();

    final HttpExchange exchange;
    final String method;
    final String path;
    final String query;
    final Map<String, String> params;
    final byte[] body;
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
        this.body = exchange.getRequestBody().readAllBytes();
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    JsonNode json() {
        try {
            return body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
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

    /** Gives the exchange to the observer, once. */
    void observe() {
        if (!observed) {
            observed = true;
            observer.accept(record());
        }
    }

    RecordedExchange record() {
        return new RecordedExchange(method, path, query, exchange.getRequestHeaders(), body, status,
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

    /** A request the server refuses with 400 and this message. */
    static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }
}
