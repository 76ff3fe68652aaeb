package dev.magpie.daytona.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Snapshots taken from sandboxes: {@code POST /api/sandbox/{id}/snapshot} copies the sandbox's home (links copied as
 * links, never followed; named pipes made anew, never opened; sockets and device files left out) into a new
 * template, known from then on by the name given, so that later creates start from it; the copy is finished when the
 * reply is sent, and the snapshot is {@code active}. {@code GET /api/snapshots}, {@code GET /api/snapshots/{id or
 * name}} describe every snapshot the server knows; {@code DELETE /api/snapshots/{id or name}} removes a taken one
 * (those given to the server when it started stay).
 */
final class SandboxSnapshots {

    private static final System.Logger LOG = System.getLogger(SandboxSnapshots.class.getName());

    private final DaytonaServer server;
    /** The snapshots taken, by name: their description. */
    private final Map<String, Map<String, Object>> taken = new ConcurrentHashMap<>();
    /** The names of the snapshots being copied: one copy per name, copies of other names run meanwhile. */
    private final Set<String> copying = ConcurrentHashMap.newKeySet();

    SandboxSnapshots(DaytonaServer server) {
        this.server = server;
    }

    /** Handles the request when it is one of these routes; returns whether it was. */
    boolean handle(Call call, String[] parts) throws IOException {
        if (parts.length == 3 && parts[0].equals("sandbox") && parts[2].equals("snapshot")
                && call.method.equals("POST")) {
            take(call, parts[1]);
            return true;
        }
        if (parts.length < 1 || parts.length > 2 || !parts[0].equals("snapshots")) {
            return false;
        }
        switch (parts.length + " " + call.method) {
            case "1 GET" -> list(call);
            case "2 GET" -> {
                Optional<Map<String, Object>> found = find(parts[1]);
                if (found.isPresent()) {
                    call.json(200, found.get());
                } else {
                    call.apiError(404, "Snapshot " + parts[1] + " not found");
                }
            }
            case "2 DELETE" -> delete(call, parts[1]);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void take(Call call, String idOrName) throws IOException {
        JsonNode body = call.json();
        String name = body.path("name").asText("");
        if (name.isBlank()) {
            call.apiError(400, "name must be a non-empty string");
            return;
        }
        if (body.path("includeMemory").asBoolean(false)) {
            call.apiError(400, "Container sandboxes do not support memory snapshots");
            return;
        }
        Optional<LocalSandbox> sandbox = server.sandboxes().find(idOrName);
        if (sandbox.isEmpty()) {
            call.apiError(404, "Sandbox with ID or name " + idOrName + " not found");
            return;
        }
        Path template = sandbox.get().directory.getParent().getParent().resolve(".snapshots")
                .resolve(UUID.randomUUID().toString());
        // Claimed before the check: a copy of the same name that ends meanwhile is registered before it lets go.
        if (!copying.add(name)) { // another copy of that name runs: its claim is not this request's to drop
            call.apiError(409, "Snapshot with name " + name + " already exists");
            return;
        }
        if (server.snapshots().containsKey(name)) {
            copying.remove(name);
            call.apiError(409, "Snapshot with name " + name + " already exists");
            return;
        }
        try {
            Sandboxes.copyTree(sandbox.get().directory, template);
            synchronized (this) {
                taken.put(name, describe(UUID.randomUUID().toString(), name, sandbox.get().id));
                server.snapshots().put(name, Optional.of(template));
            }
        } catch (IOException | UncheckedIOException e) {
            try {
                Sandboxes.deleteTree(template);
            } catch (UncheckedIOException left) {
                // The reply says why the copy failed, with no path of this machine; the operator sees what is left.
                LOG.log(System.Logger.Level.WARNING, "A failed snapshot copy left files behind: " + left.getMessage());
            }
            call.apiError(500, "Could not copy sandbox " + idOrName + " into snapshot " + name + ": "
                    + failure(sandbox.get(), e));
            return;
        } finally {
            copying.remove(name);
        }
        call.json(200, sandbox.get().toJson(server.toolboxProxyUrl()));
    }

    /**
     * What failed and what to do, with paths as the sandbox sees them: the paths of this machine are none of the
     * caller's.
     */
    private static String failure(LocalSandbox sandbox, Exception e) {
        Throwable cause = e instanceof UncheckedIOException ? e.getCause() : e;
        String why = cause instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                : cause.getClass().getSimpleName();
        if (cause instanceof FileSystemException f && f.getFile() != null
                && Path.of(f.getFile()).startsWith(sandbox.directory)) {
            return "could not copy " + sandbox.runtime.toSandbox(sandbox, Path.of(f.getFile())) + " (" + why
                    + "); remove or replace that file in the sandbox, then take the snapshot again";
        }
        return "could not write the copy (" + why + "); check the free space of the server's disk, then take the "
                + "snapshot again";
    }

    private void list(Call call) throws IOException {
        List<Map<String, Object>> items = new ArrayList<>();
        server.snapshots().keySet().stream().sorted().forEach(name -> find(name).ifPresent(items::add));
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", items);
        page.put("total", items.size());
        page.put("page", 1);
        page.put("totalPages", 1);
        call.json(200, page);
    }

    private void delete(Call call, String idOrName) throws IOException {
        Optional<Map<String, Object>> found = find(idOrName);
        if (found.isEmpty()) {
            call.apiError(404, "Snapshot " + idOrName + " not found");
            return;
        }
        String name = (String) found.get().get("name");
        if (!taken.containsKey(name)) {
            call.apiError(403, "Snapshot " + name + " was given to this server when it started; it cannot be deleted");
            return;
        }
        Optional<Path> template;
        synchronized (this) {
            taken.remove(name);
            template = server.snapshots().remove(name);
        }
        if (template != null) {
            template.ifPresent(Sandboxes::deleteTree);
        }
        call.empty(200);
    }

    private Optional<Map<String, Object>> find(String idOrName) {
        Map<String, Object> byName = taken.get(idOrName);
        if (byName != null) {
            return Optional.of(byName);
        }
        for (Map<String, Object> snapshot : taken.values()) {
            if (snapshot.get("id").equals(idOrName)) {
                return Optional.of(snapshot);
            }
        }
        return server.snapshots().containsKey(idOrName) ? Optional.of(describe(idOrName, idOrName, null))
                : Optional.empty();
    }

    private static Map<String, Object> describe(String id, String name, String sourceSandboxId) {
        String now = Instant.now().toString();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("organizationId", DaytonaServer.ORGANIZATION_ID);
        out.put("general", false);
        out.put("name", name);
        out.put("imageName", name);
        out.put("state", "active");
        out.put("size", null);
        out.put("entrypoint", null);
        out.put("cpu", 1);
        out.put("gpu", 0);
        out.put("mem", 1);
        out.put("disk", 3);
        out.put("errorReason", null);
        out.put("createdAt", now);
        out.put("updatedAt", now);
        out.put("lastUsedAt", null);
        out.put("sourceSandboxId", sourceSandboxId);
        out.put("sandboxClass", "container");
        return out;
    }
}
