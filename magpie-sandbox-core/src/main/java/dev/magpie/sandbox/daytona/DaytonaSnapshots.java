package dev.magpie.sandbox.daytona;

import com.fasterxml.jackson.databind.JsonNode;
import dev.magpie.sandbox.WorkspaceException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Snapshots taken from sandboxes ({@code POST /sandbox/{id}/snapshot}), awaited until {@code active}, listed and
 * deleted ({@code /snapshots}): what prepared Daytona workspaces are made of. Thread-safe.
 */
public final class DaytonaSnapshots {

    private final DaytonaClient client;

    private DaytonaSnapshots(DaytonaClient client) {
        this.client = client;
    }

    public static DaytonaSnapshots of(DaytonaClient client) {
        return new DaytonaSnapshots(Objects.requireNonNull(client, "client"));
    }

    /** Asks Daytona to snapshot the sandbox under a new name; {@link #awaitActive} waits until it can be used. */
    public void take(String sandboxId, String name) {
        client.http().send(Http.post(client.url("sandbox", sandboxId, "snapshot"), Http.json(Map.of("name", name))),
                false);
    }

    /** The snapshot's state ({@code pending}, {@code building}, {@code active}, {@code error}, ...), empty when unknown. */
    public Optional<String> state(String name) {
        return Http.unlessNotFound(() -> client.http().send(Http.get(client.url("snapshots", name)), true).json())
                .map(snapshot -> snapshot.path("state").asText(""));
    }

    /**
     * Polls until the snapshot is {@code active}: every 100 ms at first, a quarter longer each time, up to 1 s.
     *
     * @throws WorkspaceException when it fails ({@code error}, {@code build_failed}), disappears, or the deadline passes
     */
    public void awaitActive(String name, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        long intervalMs = 100;
        while (true) {
            JsonNode snapshot = Http.unlessNotFound(() -> client.http().send(Http.get(client.url("snapshots", name)),
                    true).json()).orElseThrow(() -> new WorkspaceException("Daytona snapshot " + name
                    + " disappeared (404) while it was being made. Check the sandbox it was taken from."));
            String state = snapshot.path("state").asText("");
            if (state.equals("active")) {
                return;
            }
            if (failed(state)) {
                throw new WorkspaceException("Daytona snapshot " + name + " failed (state " + state + ")"
                        + (snapshot.hasNonNull("errorReason") ? ": " + snapshot.get("errorReason").asText() : "")
                        + ". Check the sandbox it was taken from and the organization's snapshot quota.");
            }
            if (System.nanoTime() >= end) {
                throw new WorkspaceException("Daytona snapshot " + name + " was not active within "
                        + deadline.toSeconds() + " s (last state " + state + "). Raise "
                        + DaytonaConfig.START_TIMEOUT + ".");
            }
            Http.sleep(Duration.ofMillis(intervalMs));
            intervalMs = Math.min(1_000, intervalMs + intervalMs / 4);
        }
    }

    /** Whether a snapshot in this state failed for good ({@code error}, {@code build_failed}). */
    public static boolean failed(String state) {
        return state.equals("error") || state.equals("build_failed");
    }

    /** The names of the snapshots Daytona lists. */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode reply = client.http().send(Http.get(client.url("snapshots").newBuilder()
                    .addQueryParameter("page", Integer.toString(page)).addQueryParameter("limit", "100").build()), true)
                    .json();
            reply.path("items").forEach(item -> out.add(item.path("name").asText()));
            if (page >= reply.path("totalPages").asInt(1)) {
                return out;
            }
        }
    }

    /** Deletes the snapshot; one that no longer exists is fine. */
    public void delete(String name) {
        Http.unlessNotFound(() -> client.http().send(Http.delete(client.url("snapshots", name)), true));
    }
}
