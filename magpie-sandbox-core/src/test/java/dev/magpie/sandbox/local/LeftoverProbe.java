package dev.magpie.sandbox.local;

import java.util.Map;

/**
 * Run as a child JVM by {@link ProcessLeftoversTest}: starts processes that escape in every way a process can
 * (background, new session, cleared environment, another directory, double fork), prints their pids, then
 * waits to be killed. With {@code sweep} it only creates a workspace, which sweeps a dead JVM's leftovers.
 */
public final class LeftoverProbe {

    private LeftoverProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        LocalWorkspace workspace = LocalWorkspace.temporary(Map.of());
        if (args.length > 0 && args[0].equals("sweep")) {
            workspace.destroy();
            System.out.println("swept");
            return;
        }
        workspace.shell(ProcessLeftoversTest.ESCAPES);
        System.out.println(workspace.readString("pids.txt").strip().replace('\n', ' '));
        System.out.flush();
        Thread.sleep(60_000);
    }
}
