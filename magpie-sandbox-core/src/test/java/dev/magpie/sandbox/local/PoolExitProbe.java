package dev.magpie.sandbox.local;

import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.Workspaces;
import dev.magpie.sandbox.internal.WarmPools;
import java.util.Map;

/**
 * Run as a child JVM by {@link PoolExitTest}: fills a warm pool of three temporary workspaces, prints "ready", then
 * returns from main without draining (argument {@code exit}) or waits to be killed (argument {@code wait}).
 */
public final class PoolExitProbe {

    private PoolExitProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        Settings settings = Settings.builder().values(Map.of(Workspaces.POOL_SIZE_KEY, "3")).build();
        WorkspaceSpec spec = WorkspaceSpec.builder().env("PROBE", "pool").build();
        Workspaces.create(spec, settings).destroy();
        Workspaces.create(spec, settings).destroy();
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (WarmPools.ready(ProviderId.LOCAL, spec, settings) < 3) {
            if (System.nanoTime() - deadline > 0) {
                System.out.println("the pool did not fill within 60 s");
                System.exit(1);
            }
            Thread.sleep(10);
        }
        System.out.println("ready");
        System.out.flush();
        if (args[0].equals("wait")) {
            Thread.sleep(120_000);
        }
    }
}
