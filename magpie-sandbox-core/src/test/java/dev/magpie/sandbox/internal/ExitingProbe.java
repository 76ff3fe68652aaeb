package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.Workspaces;
import java.util.Map;

/**
 * Run as a child JVM by {@link WarmPoolsTest}, since the exit drain ends pooling for the JVM: drains as the
 * shutdown hook does, asks twice for a spec (which would start its pool), drains again, then prints how many
 * sandboxes were created: 2 when the requests created directly, more when a pool refilled.
 */
public final class ExitingProbe {

    private ExitingProbe() {
    }

    public static void main(String[] args) {
        WarmPools.drainAtExit();
        GatedProvider provider = new GatedProvider("exiting");
        provider.allow(1_000);
        Settings settings = Settings.builder().values(Map.of(Workspaces.POOL_SIZE_KEY, "1")).environment(Map.of())
                .build();
        WorkspaceSpec spec = WorkspaceSpec.builder().env("PROBE", "exiting").build();
        WarmPools.take(provider, spec, settings).destroy();
        WarmPools.take(provider, spec, settings).destroy();
        // waits for a refill the second request would have started
        WarmPools.drain();
        System.out.println(provider.made().size());
    }
}
