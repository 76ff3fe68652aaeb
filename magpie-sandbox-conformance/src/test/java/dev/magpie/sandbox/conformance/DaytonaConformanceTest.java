package dev.magpie.sandbox.conformance;

import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.daytona.DaytonaCreateRequest;
import dev.magpie.sandbox.daytona.DaytonaWorkspace;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract on Daytona sandboxes of the local Daytona-compatible server. */
class DaytonaConformanceTest extends WorkspaceConformance {

    @RegisterExtension
    static final LocalDaytonaServer DAYTONA = new LocalDaytonaServer();

    @Override
    protected Workspace create(Map<String, String> env) {
        return DaytonaWorkspace.create(DAYTONA.client(), DaytonaCreateRequest.builder().env(env).build(), null);
    }
}
