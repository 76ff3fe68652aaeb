package dev.magpie.sandbox.conformance;

import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.Workspaces;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/** The contract on containers taken from a warm pool; skipped without an engine, failed so under {@code CI=true}. */
@EnabledWithDockerEngine
class PooledDockerConformanceTest extends WorkspaceConformance {

    private final Pooled pool = new Pooled(Pooled.settings(Map.of()));

    @Override
    protected Workspace create(Map<String, String> env) {
        WorkspaceSpec.Builder spec = WorkspaceSpec.builder().provider(ProviderId.DOCKER)
                .snapshot(DockerEngineCondition.TEST_IMAGE);
        env.forEach(spec::env);
        return pool.take(spec.build());
    }

    @AfterAll
    void drainPools() {
        Workspaces.drainPools();
    }
}
