package dev.magpie.daytona.server.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.magpie.daytona.server.RecordedExchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks recorded exchanges against the published Daytona specs: {@code api.json} (OpenAPI 3.0, the control plane
 * under {@code /api}) and {@code toolbox.json} (Swagger 2.0, the toolbox under {@code /toolbox/<id>}). For each
 * exchange: the operation exists; the bearer and SDK headers were sent; query parameters are declared, present when
 * required, of their type; a JSON request body and the reply body match their schemas; a reply status that the spec
 * does not declare is an error with the documented error body. Thread-safe.
 */
public final class ContractValidator {

    /** The first SDK version whose session logs are JSON; clients must send at least this. */
    public static final String MIN_SDK_VERSION = "0.167.0";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode api;
    private final JsonNode toolbox;
    private final SchemaCheck apiSchemas;
    private final SchemaCheck toolboxSchemas;
    private final JsonNode apiErrorSchema;

    private ContractValidator(JsonNode api, JsonNode toolbox) {
        this.api = api;
        this.toolbox = toolbox;
        this.apiSchemas = new SchemaCheck(api);
        this.toolboxSchemas = new SchemaCheck(toolbox);
        this.apiErrorSchema = controlPlaneErrorSchema();
    }

    /** Reads {@code api.json} and {@code toolbox.json} from a directory. */
    public static ContractValidator load(Path specDirectory) {
        try {
            return new ContractValidator(JSON.readTree(specDirectory.resolve("api.json").toFile()),
                    JSON.readTree(specDirectory.resolve("toolbox.json").toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the Daytona specs in " + specDirectory, e);
        }
    }

    /** Environment variable naming a directory that holds {@code api.json} and {@code toolbox.json}. */
    public static final String SPECS_ENV = "MAGPIE_DAYTONA_SPECS";

    /**
     * The spec directory: the one named by {@value #SPECS_ENV}, else the first {@code shared/daytona} beside the
     * project root or beside one of its ancestors, when it holds both specs.
     */
    public static Optional<Path> locate(Path projectRoot) {
        return locate(projectRoot, System.getenv());
    }

    /**
     * The spec directory for a test run, as {@link #locate(Path)} finds it. When it is missing and the environment
     * variable {@code CI} is {@code true}, throws instead: a CI run must not pass without having checked the
     * exchanges. Elsewhere the caller skips the check, saying why with {@link #missing(Path)}.
     *
     * @throws IllegalStateException under {@code CI=true} when the specs are not found
     */
    public static Optional<Path> locateForTestRun(Path projectRoot) {
        return locateForTestRun(projectRoot, System.getenv());
    }

    static Optional<Path> locateForTestRun(Path projectRoot, Map<String, String> env) {
        Optional<Path> found = locate(projectRoot, env);
        if (found.isEmpty() && "true".equalsIgnoreCase(env.get("CI"))) {
            throw new IllegalStateException("CI=true, so the Daytona exchanges must be checked against the specs, but "
                    + missing(projectRoot, env) + ". Put api.json and toolbox.json there, or name their directory with "
                    + SPECS_ENV + ".");
        }
        return found;
    }

    /** Why {@link #locate(Path)} found nothing: where the specs were looked for. */
    public static String missing(Path projectRoot) {
        return missing(projectRoot, System.getenv());
    }

    private static String missing(Path projectRoot, Map<String, String> env) {
        String named = env.get(SPECS_ENV);
        if (named != null && !named.isBlank()) {
            return "the directory " + named + " named by " + SPECS_ENV + " does not hold api.json and toolbox.json";
        }
        return "the Daytona specs (api.json and toolbox.json) are in no shared/daytona beside "
                + projectRoot.toAbsolutePath().normalize() + " or one of its parents, and " + SPECS_ENV + " is not set";
    }

    static Optional<Path> locate(Path projectRoot, Map<String, String> env) {
        String named = env.get(SPECS_ENV);
        if (named != null && !named.isBlank()) {
            return Optional.of(Path.of(named)).filter(ContractValidator::holdsSpecs);
        }
        for (Path base = projectRoot.toAbsolutePath().normalize().getParent(); base != null; base = base.getParent()) {
            Path candidate = base.resolve("shared").resolve("daytona");
            if (holdsSpecs(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean holdsSpecs(Path dir) {
        return Files.isRegularFile(dir.resolve("api.json")) && Files.isRegularFile(dir.resolve("toolbox.json"));
    }

    /** Every way the exchange departs from the specs, client headers included; empty when it conforms. */
    public List<String> validate(RecordedExchange exchange) {
        return validate(exchange, true);
    }

    /**
     * Every way the exchange departs from the specs; without {@code clientHeaders} the bearer, source and SDK
     * version headers are not checked (for exchanges of deliberately old or foreign clients).
     */
    public List<String> validate(RecordedExchange exchange, boolean clientHeaders) {
        List<String> problems = new ArrayList<>();
        String label = exchange.toString();
        boolean isApi = exchange.path().startsWith("/api/") || exchange.path().equals("/api");
        JsonNode spec = isApi ? api : toolbox;
        SchemaCheck schemas = isApi ? apiSchemas : toolboxSchemas;
        String path = isApi ? exchange.path().substring(4) : toolboxRoute(exchange.path());
        Optional<JsonNode> operation = operation(spec, exchange.method(), path);
        if (operation.isEmpty()) {
            problems.add(label + ": no operation " + exchange.method() + " " + path + " in "
                    + (isApi ? "api.json" : "toolbox.json"));
            return problems;
        }
        if (clientHeaders) {
            checkHeaders(exchange, label, problems);
        }
        checkQuery(operation.get(), exchange, label, problems);
        checkRequestBody(operation.get(), schemas, isApi, exchange, label, problems);
        if (exchange.status() != 0) {
            checkReply(operation.get(), schemas, isApi, exchange, label, problems);
        }
        return problems;
    }

    private static void checkHeaders(RecordedExchange exchange, String label, List<String> problems) {
        if (!exchange.requestHeader("Authorization").orElse("").startsWith("Bearer ")) {
            problems.add(label + ": no Authorization: Bearer header");
        }
        if (exchange.requestHeader("X-Daytona-Source").isEmpty()) {
            problems.add(label + ": no X-Daytona-Source header");
        }
        String version = exchange.requestHeader("X-Daytona-SDK-Version").orElse("");
        if (compareVersions(version, MIN_SDK_VERSION) < 0) {
            problems.add(label + ": X-Daytona-SDK-Version '" + version + "' is below " + MIN_SDK_VERSION);
        }
    }

    private void checkQuery(JsonNode operation, RecordedExchange exchange, String label, List<String> problems) {
        Set<String> sent = new HashSet<>();
        for (String pair : exchange.query().isEmpty() ? new String[0] : exchange.query().split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            sent.add(name);
            Optional<JsonNode> declared = parameter(operation, "query", name);
            if (declared.isEmpty()) {
                problems.add(label + ": query parameter '" + name + "' is not in the spec");
                continue;
            }
            JsonNode schema = declared.get().has("schema") ? declared.get().get("schema") : declared.get();
            String type = schema.path("type").asText("string");
            if (type.equals("integer") && !value.matches("-?\\d+")
                    || type.equals("number") && !value.matches("-?\\d+(\\.\\d+)?")
                    || type.equals("boolean") && !value.matches("true|false")) {
                problems.add(label + ": query parameter '" + name + "' should be " + type + ", was '" + value + "'");
            }
        }
        for (JsonNode p : parameters(operation)) {
            if (p.path("in").asText().equals("query") && p.path("required").asBoolean(false)
                    && !sent.contains(p.path("name").asText())) {
                problems.add(label + ": required query parameter '" + p.path("name").asText() + "' is missing");
            }
        }
    }

    private void checkRequestBody(JsonNode operation, SchemaCheck schemas, boolean isApi, RecordedExchange exchange,
                                  String label, List<String> problems) {
        JsonNode schema = null;
        boolean required = false;
        if (isApi && operation.has("requestBody")) {
            schema = operation.path("requestBody").path("content").path("application/json").path("schema");
            required = operation.path("requestBody").path("required").asBoolean(false);
        } else if (!isApi) {
            for (JsonNode p : parameters(operation)) {
                if (p.path("in").asText().equals("body")) {
                    schema = p.get("schema");
                    required = p.path("required").asBoolean(false);
                }
            }
        }
        if (schema == null || schema.isMissingNode()) {
            return;
        }
        if (exchange.requestBody().length == 0) {
            if (required) {
                problems.add(label + ": the request body is required but empty");
            }
            return;
        }
        JsonNode bodySchema = schema;
        parse(exchange.requestBody(), label + " request", problems)
                .ifPresent(body -> schemas.check(bodySchema, body, label + " request body", problems));
    }

    private void checkReply(JsonNode operation, SchemaCheck schemas, boolean isApi, RecordedExchange exchange,
                            String label, List<String> problems) {
        JsonNode declared = operation.path("responses").path(Integer.toString(exchange.status()));
        if (declared.isMissingNode()) {
            if (exchange.status() < 400) {
                problems.add(label + ": status " + exchange.status() + " is not a reply the spec declares");
                return;
            }
            JsonNode errorSchema = isApi ? apiErrorSchema : toolboxSchemas.resolve("#/definitions/ErrorResponse");
            parse(exchange.responseBody(), label + " error reply", problems)
                    .ifPresent(body -> schemas.check(errorSchema, body, label + " error body", problems));
            return;
        }
        JsonNode schema = isApi ? declared.path("content").path("application/json").path("schema")
                : declared.path("schema");
        if (schema.isMissingNode() || schema.path("type").asText().equals("file")) {
            return;
        }
        String type = exchange.responseHeader("Content-Type").orElse("");
        if (!type.isEmpty() && !type.contains("json")) {
            boolean offered = false;
            for (JsonNode produced : operation.path("produces")) {
                offered |= type.startsWith(produced.asText());
            }
            if (!offered) {
                problems.add(label + ": the reply is '" + type + "', not JSON or another type the operation produces");
            }
            return;
        }
        parse(exchange.responseBody(), label + " reply", problems)
                .ifPresent(body -> schemas.check(schema, body, label + " reply body", problems));
    }

    private static Optional<JsonNode> parse(byte[] body, String what, List<String> problems) {
        try {
            return Optional.of(JSON.readTree(body));
        } catch (IOException e) {
            problems.add(what + " is not JSON: " + new String(body, 0, Math.min(body.length, 80), StandardCharsets.UTF_8));
            return Optional.empty();
        }
    }

    private static String toolboxRoute(String path) {
        String rest = path.substring("/toolbox/".length());
        int slash = rest.indexOf('/');
        return slash < 0 ? "/" : rest.substring(slash);
    }

    /** The operation whose path template matches, preferring the one with the fewest parameters. */
    private static Optional<JsonNode> operation(JsonNode spec, String method, String path) {
        JsonNode best = null;
        int bestParams = Integer.MAX_VALUE;
        for (var it = spec.path("paths").fields(); it.hasNext(); ) {
            var entry = it.next();
            String template = entry.getKey();
            String regex = template.replaceAll("\\{[^/]+}", "[^/]+");
            JsonNode op = entry.getValue().get(method.toLowerCase(java.util.Locale.ROOT));
            int params = template.split("\\{", -1).length - 1;
            if (op != null && path.matches(regex) && params < bestParams) {
                best = op;
                bestParams = params;
            }
        }
        return Optional.ofNullable(best);
    }

    private static Iterable<JsonNode> parameters(JsonNode operation) {
        return operation.path("parameters");
    }

    private static Optional<JsonNode> parameter(JsonNode operation, String in, String name) {
        for (JsonNode p : parameters(operation)) {
            if (p.path("in").asText().equals(in) && p.path("name").asText().equals(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The control plane's error body, which api.json does not define: statusCode, error?, message, path, timestamp. */
    private static JsonNode controlPlaneErrorSchema() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode schema = f.objectNode().put("type", "object");
        schema.putArray("required").add("statusCode").add("message").add("path").add("timestamp");
        ObjectNode props = schema.putObject("properties");
        props.putObject("statusCode").put("type", "integer");
        props.putObject("error").put("type", "string");
        props.putObject("message").put("type", "string");
        props.putObject("path").put("type", "string");
        props.putObject("timestamp").put("type", "string");
        props.putObject("code").put("type", "string");
        props.putObject("source").put("type", "string");
        return schema;
    }

    static int compareVersions(String a, String b) {
        String[] x = a.replaceFirst("^v", "").split("[.\\-+]");
        String[] y = b.split("\\.");
        for (int i = 0; i < 3; i++) {
            int p = i < x.length ? parseOrMinus(x[i]) : 0;
            int q = Integer.parseInt(y[i]);
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }

    private static int parseOrMinus(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
