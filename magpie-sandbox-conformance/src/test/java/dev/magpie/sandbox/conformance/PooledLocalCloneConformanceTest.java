package dev.magpie.sandbox.conformance;

import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.Workspaces;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/** The contract on clones taken from a warm pool. */
class PooledLocalCloneConformanceTest extends LocalCloneConformanceTest {

    private final Pooled pool = new Pooled(Pooled.settings(Map.of()));

    @Override
    protected Workspace create(Map<String, String> env) {
        WorkspaceSpec.Builder spec = WorkspaceSpec.builder().provider(ProviderId.LOCAL)
                .cloneFrom(repository().toString());
        env.forEach(spec::env);
        return pool.take(spec.build());
    }

    @AfterAll
    void drainPools() {
        Workspaces.drainPools();
    }
}
