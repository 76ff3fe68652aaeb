package dev.magpie.junit;

import dev.magpie.sandbox.Workspace;

/** How to find and reach a sandbox that was kept, per provider. */
final class KeptSandbox {

    private KeptSandbox() {
    }

    static String describe(Workspace workspace) {
        String dir = workspace.workingDir();
        switch (workspace.name()) {
            case "local":
                return "local directory " + dir + "; reach it with: cd " + dir + "; delete it by hand when done";
            case "docker":
                return "Docker container " + workspace.id() + " (working dir " + dir + "); reach it with: docker exec -it -w "
                        + dir + " " + workspace.id() + " sh; remove it with: docker rm -f " + workspace.id();
            case "daytona":
                return "Daytona sandbox " + workspace.id() + " (working dir " + dir + "); reach it from the Daytona"
                        + " dashboard or API, and delete it there when done";
            default:
                return workspace.name() + " sandbox " + workspace.id() + " (working dir " + dir + ")";
        }
    }
}
