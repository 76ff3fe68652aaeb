package dev.magpie.sandbox.daytona;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What Daytona reports about a sandbox: the fields this library uses, read tolerantly (unknown fields ignored,
 * unknown states treated as transitional).
 *
 * @param toolboxProxyUrl the toolbox base of the sandbox's region; empty on old servers
 * @param createdAt when it was created, when reported
 */
public record DaytonaSandbox(String id, String name, String state, String errorReason, String snapshot,
                             String target, Map<String, String> labels, String toolboxProxyUrl,
                             Optional<Instant> createdAt) {

    public DaytonaSandbox {
        labels = Map.copyOf(labels);
    }

    /** Where a state leads: to work, to a failure, or still on the way. */
    public enum Phase { STARTED, FAILED, GONE, TRANSITIONAL }

    /** The phase of {@link #state()}; states this library does not know are transitional. */
    public Phase phase() {
        switch (state.toLowerCase(Locale.ROOT)) {
            case "started": return Phase.STARTED;
            case "error":
            case "build_failed": return Phase.FAILED;
            case "destroyed":
            case "destroying": return Phase.GONE;
            default: return Phase.TRANSITIONAL;
        }
    }

    static DaytonaSandbox fromJson(JsonNode node) {
        Map<String, String> labels = new LinkedHashMap<>();
        node.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return new DaytonaSandbox(node.path("id").asText(), node.path("name").asText(""),
                node.path("state").asText("unknown"), text(node, "errorReason"), text(node, "snapshot"),
                text(node, "target"), labels, node.path("toolboxProxyUrl").asText(""), instant(node, "createdAt"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Optional<Instant> instant(JsonNode node, String field) {
        String v = text(node, field);
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(v));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
