package dev.magpie.daytona.server;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One request the server received and the reply it sent, as observers see it: for checking clients and the
 * server against the published specs, and for asserting on what a client sent.
 *
 * @param path the request path after the port, e.g. {@code /api/sandbox} or {@code /toolbox/<id>/files}
 * @param query the raw query string, empty when none
 * @param status the reply status, or 0 when the connection was dropped without a reply
 */
public record RecordedExchange(String method, String path, String query, Map<String, List<String>> requestHeaders,
                               byte[] requestBody, int status, Map<String, List<String>> responseHeaders,
                               byte[] responseBody) {

    public RecordedExchange {
        requestHeaders = lowerCaseKeys(requestHeaders);
        responseHeaders = lowerCaseKeys(responseHeaders);
    }

    /** The first value of a request header, any case. */
    public Optional<String> requestHeader(String name) {
        List<String> values = requestHeaders.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The first value of a reply header, any case. */
    public Optional<String> responseHeader(String name) {
        List<String> values = responseHeaders.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public String requestText() {
        return new String(requestBody, StandardCharsets.UTF_8);
    }

    public String responseText() {
        return new String(responseBody, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return method + " " + path + (query.isEmpty() ? "" : "?" + query) + " -> " + (status == 0 ? "dropped" : status);
    }

    private static Map<String, List<String>> lowerCaseKeys(Map<String, List<String>> headers) {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        headers.forEach((k, v) -> {
            if (k != null) {
                out.put(k.toLowerCase(Locale.ROOT), List.copyOf(v));
            }
        });
        return Map.copyOf(out);
    }
}
