package dev.magpie.sandbox.conformance;

import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.Workspaces;
import dev.magpie.sandbox.internal.WarmPools;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Hands out every workspace from a warm pool of its spec, so that the suite runs on pooled sandboxes only. */
final class Pooled {

    /** The pool settings, to add to a provider's own. */
    static final Map<String, String> POOLS = Map.of(Workspaces.POOL_SIZE_KEY, "2");

    private static final Duration DEADLINE = Duration.ofSeconds(120);

    private final Settings settings;
    private final Set<WorkspaceSpec> started = new HashSet<>();

    Pooled(Settings settings) {
        this.settings = settings;
    }

    static Settings settings(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(values);
        all.putAll(POOLS);
        return Settings.builder().values(all).build();
    }

    /** A sandbox taken from the spec's pool, waiting for the pool to have one. */
    synchronized Workspace take(WorkspaceSpec spec) {
        if (started.add(spec)) {
            // A spec is pooled from its second request on.
            Workspaces.create(spec, settings).destroy();
            Workspaces.create(spec, settings).destroy();
        }
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (WarmPools.ready(Workspaces.resolve(spec, settings), spec, settings) == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Expected a pooled sandbox of " + spec + " within " + DEADLINE.toSeconds()
                        + " s, but its pool has none");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for a pooled sandbox", e);
            }
        }
        return Workspaces.create(spec, settings);
    }
}
