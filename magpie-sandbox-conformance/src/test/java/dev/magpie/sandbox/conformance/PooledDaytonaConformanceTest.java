package dev.magpie.sandbox.conformance;

import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.Workspaces;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract on Daytona sandboxes of the local server taken from a warm pool; the server checks after the class
 * that the drain left none.
 */
class PooledDaytonaConformanceTest extends WorkspaceConformance {

    @RegisterExtension
    static final LocalDaytonaServer DAYTONA = new LocalDaytonaServer();

    private Pooled pool;

    @Override
    protected Workspace create(Map<String, String> env) {
        if (pool == null) {
            pool = new Pooled(DAYTONA.settings(Pooled.POOLS));
        }
        WorkspaceSpec.Builder spec = WorkspaceSpec.builder().provider(ProviderId.DAYTONA);
        env.forEach(spec::env);
        return pool.take(spec.build());
    }

    @AfterAll
    void drainPools() {
        Workspaces.drainPools();
    }
}
