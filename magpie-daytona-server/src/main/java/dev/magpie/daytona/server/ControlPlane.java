package dev.magpie.daytona.server;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The control-plane routes under {@code /api}: create, get, list by labels, delete, toolbox proxy URL; the
 * lifecycle routes are {@link Lifecycle}'s.
 */
final class ControlPlane {

    private static final List<String> NOT_ON_LIST_ITEMS = List.of("env", "volumes");

    private final DaytonaServer server;
    private final Lifecycle lifecycle;
    private final SandboxSnapshots snapshots;

    ControlPlane(DaytonaServer server) {
        this.server = server;
        this.lifecycle = new Lifecycle(server);
        this.snapshots = new SandboxSnapshots(server);
    }

    void handle(Call call, String path) throws IOException {
        String[] parts = path.replaceAll("^/+", "").split("/");
        if (snapshots.handle(call, parts)) {
            return;
        }
        if (parts.length >= 1 && parts[0].equals("sandbox")) {
            if (parts.length == 1) {
                switch (call.method) {
                    case "POST": create(call); return;
                    case "GET": list(call); return;
                    default: break;
                }
            } else if (parts.length == 2) {
                switch (call.method) {
                    case "GET": get(call, parts[1]); return;
                    case "DELETE": delete(call, parts[1]); return;
                    default: break;
                }
            } else if (parts.length == 5 && parts[2].equals("ports") && parts[4].equals("preview-url")
                    && call.method.equals("GET")) {
                server.previews().handle(call, parts[1], parts[3]);
                return;
            } else if (parts.length == 5 && parts[2].equals("ports") && parts[4].equals("signed-preview-url")
                    && call.method.equals("GET")) {
                server.previews().handleSigned(call, parts[1], parts[3]);
                return;
            } else if (parts.length == 7 && parts[2].equals("ports") && parts[4].equals("signed-preview-url")
                    && parts[6].equals("expire") && call.method.equals("POST")) {
                server.previews().expire(call, parts[1], parts[3], parts[5]);
                return;
            } else if (parts.length == 3 && parts[2].equals("toolbox-proxy-url") && call.method.equals("GET")) {
                Optional<LocalSandbox> sandbox = find(call, parts[1]);
                if (sandbox.isPresent()) {
                    call.json(200, Map.of("url", proxyUrl(call)));
                }
                return;
            }
        }
        if (!lifecycle.handle(call, parts)) {
            call.apiError(404, "Cannot " + call.method + " /api" + path);
        }
    }

    private void create(Call call) throws IOException {
        JsonNode body = call.json();
        if (!body.isObject()) {
            call.apiError(400, "The request body must be a CreateSandbox object");
            return;
        }
        for (String resource : CreateRequest.RESOURCES) {
            if (body.hasNonNull(resource) && body.hasNonNull("snapshot")) {
                call.apiError(400, "Cannot specify Sandbox resources when using a snapshot");
                return;
            }
        }
        CreateRequest request = CreateRequest.from(body, DaytonaServer.DEFAULT_SNAPSHOT);
        Optional<Path> template = server.snapshots().get(request.snapshot());
        if (template == null) {
            call.apiError(404, "Snapshot " + request.snapshot() + " not found. Did you add it through the "
                    + "Daytona Dashboard?");
            return;
        }
        LocalSandbox sandbox;
        try {
            sandbox = server.sandboxes().create(request, template, server.startDelay(),
                    () -> server.faults().takeStartError().flatMap(Fault::message).orElse(null));
        } catch (Sandboxes.NameTaken e) {
            call.apiError(409, e.getMessage());
            return;
        }
        server.events().watch(sandbox);
        call.json(200, sandbox.toJson(proxyUrl(call)));
    }

    private void list(Call call) throws IOException {
        Map<String, String> labels = new LinkedHashMap<>();
        String rawLabels = call.params.get("labels");
        if (rawLabels != null && !rawLabels.isBlank()) {
            try {
                labels = Call.JSON.readValue(rawLabels, new TypeReference<Map<String, String>>() { });
            } catch (IOException e) {
                call.apiError(400, "labels must be a JSON object of strings, e.g. {\"team\":\"a\"}");
                return;
            }
        }
        int limit = intParam(call, "limit", 100);
        int offset = intParam(call, "cursor", 0);
        if (limit < 1 || limit > 200 || offset < 0) {
            call.apiError(400, "limit must be 1-200 and cursor one returned by a previous page");
            return;
        }
        List<LocalSandbox> matching = server.sandboxes().withLabels(labels);
        List<Map<String, Object>> items = new ArrayList<>();
        for (LocalSandbox s : matching.subList(Math.min(offset, matching.size()),
                Math.min(offset + limit, matching.size()))) {
            Map<String, Object> item = s.toJson(proxyUrl(call));
            NOT_ON_LIST_ITEMS.forEach(item::remove);
            items.add(item);
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", items);
        page.put("nextCursor", offset + limit < matching.size() ? Integer.toString(offset + limit) : null);
        call.json(200, page);
    }

    private void get(Call call, String idOrName) throws IOException {
        Optional<LocalSandbox> sandbox = find(call, idOrName);
        if (sandbox.isPresent()) {
            call.json(200, sandbox.get().toJson(proxyUrl(call)));
        }
    }

    private void delete(Call call, String idOrName) throws IOException {
        Optional<LocalSandbox> sandbox = find(call, idOrName);
        if (sandbox.isPresent()) {
            String before = sandbox.get().state();
            server.sandboxes().delete(sandbox.get());
            server.events().destroyed(sandbox.get(), before);
            call.json(200, sandbox.get().toJson(proxyUrl(call)));
        }
    }

    /**
     * The toolbox URL as the client reached this server (its Host header), so that a server bound to all
     * addresses hands out a URL its clients can use.
     */
    private String proxyUrl(Call call) {
        return proxyUrl(server, call);
    }

    static String proxyUrl(DaytonaServer server, Call call) {
        String host = call.header("Host");
        return host == null || host.isBlank() || !host.matches("[A-Za-z0-9.:\\[\\]-]+")
                ? server.toolboxProxyUrl() : "http://" + host + "/toolbox";
    }

    private Optional<LocalSandbox> find(Call call, String idOrName) throws IOException {
        Optional<LocalSandbox> sandbox = server.sandboxes().find(idOrName);
        if (sandbox.isEmpty()) {
            call.apiError(404, "Sandbox with ID or name " + idOrName + " not found");
        }
        return sandbox;
    }

    private static int intParam(Call call, String name, int fallback) {
        String value = call.params.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new Call.BadRequest(name + " must be a number, was '" + value + "'");
        }
    }
}
