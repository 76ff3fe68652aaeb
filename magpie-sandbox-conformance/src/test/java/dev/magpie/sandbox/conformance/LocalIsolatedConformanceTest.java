package dev.magpie.sandbox.conformance;

import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.local.LocalWorkspace;
import java.util.Map;

/**
 * The contract on temporary directories whose commands run in namespaces (bubblewrap). The path refusals the
 * contract cannot check here are checked by the core's {@code LocalIsolationTest}.
 */
class LocalIsolatedConformanceTest extends WorkspaceConformance {

    private static final Settings ISOLATED = Settings.builder()
            .values(Map.of(LocalWorkspace.ISOLATION_KEY, "namespaces")).build();

    @Override
    public Differences differences() {
        return Differences.none()
                .with(Difference.PROCESSES_PER_COMMAND, "each command runs in a PID namespace of its own, ended with it")
                .with(Difference.NO_SHARED_OUTSIDE, "each command sees a private /tmp and nothing else writable"
                        + " outside the workspace")
                .with(Difference.NO_ENDPOINT, "under the default network policy (none) each command has a network"
                        + " of its own; LocalIsolationServiceTest reaches a server with the policy host");
    }

    @Override
    protected Workspace create(Map<String, String> env) {
        return LocalWorkspace.temporary(env, ISOLATED);
    }
}
