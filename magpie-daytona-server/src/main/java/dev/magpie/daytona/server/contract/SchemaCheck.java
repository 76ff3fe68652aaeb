package dev.magpie.daytona.server.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a JSON value against a schema of an OpenAPI 3.0 or Swagger 2.0 document, for the keywords those specs
 * use: {@code $ref}, {@code allOf/anyOf/oneOf}, {@code type}, {@code nullable}, {@code enum}, {@code required},
 * {@code properties}, {@code additionalProperties}, {@code items}, {@code minimum/maximum}.
 */
final class SchemaCheck {

    private final JsonNode document;

    SchemaCheck(JsonNode document) {
        this.document = document;
    }

    void check(JsonNode schema, JsonNode value, String where, List<String> problems) {
        if (schema == null || schema.isMissingNode() || schema.isEmpty() && schema.isObject()) {
            return;
        }
        if (schema.has("$ref")) {
            check(resolve(schema.get("$ref").asText()), value, where, problems);
            return;
        }
        if (value == null || value.isNull()) {
            if (!schema.path("nullable").asBoolean(false) && !schema.path("x-nullable").asBoolean(false)) {
                problems.add(where + " is null, but the schema does not allow null");
            }
            return;
        }
        for (JsonNode part : schema.path("allOf")) {
            check(part, value, where, problems);
        }
        for (String any : new String[] {"anyOf", "oneOf"}) {
            if (schema.has(any)) {
                boolean matched = false;
                for (JsonNode part : schema.get(any)) {
                    List<String> trial = new java.util.ArrayList<>();
                    check(part, value, where, trial);
                    matched |= trial.isEmpty();
                }
                if (!matched) {
                    problems.add(where + " matches none of the " + any + " alternatives");
                }
            }
        }
        String type = schema.path("type").asText("");
        if (!type.isEmpty() && !hasType(value, type)) {
            problems.add(where + " should be " + type + " but is " + describe(value));
            return;
        }
        if (schema.has("enum")) {
            boolean known = false;
            for (JsonNode option : schema.get("enum")) {
                known |= option.equals(value);
            }
            if (!known) {
                problems.add(where + " is " + value + ", not one of " + schema.get("enum"));
            }
        }
        if (value.isNumber()) {
            if (schema.has("minimum") && value.asDouble() < schema.get("minimum").asDouble()) {
                problems.add(where + " is " + value + ", below the minimum " + schema.get("minimum"));
            }
            if (schema.has("maximum") && value.asDouble() > schema.get("maximum").asDouble()) {
                problems.add(where + " is " + value + ", above the maximum " + schema.get("maximum"));
            }
        }
        if (value.isObject()) {
            checkObject(schema, value, where, problems);
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(schema.get("items"), value.get(i), where + "[" + i + "]", problems);
            }
        }
    }

    private void checkObject(JsonNode schema, JsonNode value, String where, List<String> problems) {
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                problems.add(where + " lacks the required field '" + required.asText() + "'");
            }
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String at = where + "." + field.getKey();
            if (properties.has(field.getKey())) {
                check(properties.get(field.getKey()), field.getValue(), at, problems);
            } else if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
                problems.add(at + " is not a field the schema allows");
            } else if (additional != null && additional.isObject()) {
                check(additional, field.getValue(), at, problems);
            }
        }
    }

    JsonNode resolve(String ref) {
        if (!ref.startsWith("#/")) {
            throw new IllegalArgumentException("Only local $ref are supported, got " + ref);
        }
        JsonNode node = document;
        for (String part : ref.substring(2).split("/")) {
            node = node.path(part.replace("~1", "/").replace("~0", "~"));
        }
        if (node.isMissingNode()) {
            throw new IllegalArgumentException("Dangling $ref " + ref);
        }
        return node;
    }

    private static boolean hasType(JsonNode value, String type) {
        switch (type) {
            case "string": return value.isTextual();
            case "integer": return value.isIntegralNumber()
                    || value.isNumber() && value.asDouble() == Math.rint(value.asDouble());
            case "number": return value.isNumber();
            case "boolean": return value.isBoolean();
            case "object": return value.isObject();
            case "array": return value.isArray();
            default: return true;
        }
    }

    private static String describe(JsonNode value) {
        String text = value.toString();
        return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " "
                + (text.length() > 60 ? text.substring(0, 60) + "..." : text);
    }
}
