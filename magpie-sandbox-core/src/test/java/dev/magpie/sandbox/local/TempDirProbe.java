package dev.magpie.sandbox.local;

import java.util.Map;

/** Run as a child JVM by {@link TempDirsTest}: creates a temporary workspace, prints its path, then waits. */
public final class TempDirProbe {

    private TempDirProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        LocalWorkspace workspace = LocalWorkspace.temporary(Map.of());
        System.out.println(workspace.directory());
        System.out.flush();
        Thread.sleep(60_000);
    }
}
