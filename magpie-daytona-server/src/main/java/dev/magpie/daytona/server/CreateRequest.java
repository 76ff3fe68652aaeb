package dev.magpie.daytona.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The fields of a {@code CreateSandbox} body that the local server honours. */
record CreateRequest(String name, String snapshot, String user, String target, Map<String, String> env,
                     Map<String, String> labels, List<Map<String, Object>> volumes, Map<String, Object> intervals) {

    static final List<String> INTERVALS = List.of("autoStopInterval", "autoArchiveInterval", "autoDeleteInterval");
    static final List<String> RESOURCES = List.of("cpu", "gpu", "memory", "disk");

    static CreateRequest from(JsonNode body, String defaultSnapshot) {
        Map<String, Object> intervals = new LinkedHashMap<>();
        intervals.put("autoStopInterval", 15);
        intervals.put("autoArchiveInterval", 10080);
        intervals.put("autoDeleteInterval", -1);
        for (String key : INTERVALS) {
            if (body.hasNonNull(key)) {
                intervals.put(key, body.get(key).asInt());
            }
        }
        List<Map<String, Object>> volumes = new ArrayList<>();
        for (JsonNode v : body.path("volumes")) {
            Map<String, Object> volume = new LinkedHashMap<>();
            volume.put("volumeId", v.path("volumeId").asText());
            volume.put("mountPath", v.path("mountPath").asText());
            if (v.hasNonNull("subpath")) {
                volume.put("subpath", v.get("subpath").asText());
            }
            volumes.add(volume);
        }
        return new CreateRequest(text(body, "name", null), text(body, "snapshot", defaultSnapshot),
                text(body, "user", "daytona"), text(body, "target", "us"), strings(body.path("env")),
                strings(body.path("labels")), volumes, intervals);
    }

    private static String text(JsonNode body, String field, String fallback) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? fallback : v.asText();
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
