package dev.magpie.sandbox.local;

import dev.magpie.sandbox.ExecResult;
import java.util.Map;

/**
 * Run as a child JVM by {@link LocalEnvironmentTest} with chosen environment variables: prints what a local
 * command sees of them, and the workspace's transcript.
 */
public final class EnvProbe {

    private EnvProbe() {
    }

    public static void main(String[] args) {
        try (LocalWorkspace workspace = LocalWorkspace.temporary(Map.of("GIVEN", "given-value"))) {
            ExecResult result = workspace.shell(args[0]);
            System.out.println("stdout: " + result.stdout().strip());
            System.out.println("transcript: " + workspace.transcript().render());
        }
    }
}
