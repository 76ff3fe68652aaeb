package dev.magpie.sandbox.conformance;

import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.local.LocalWorkspace;
import java.util.Map;

/** The contract on an empty temporary directory of this machine. */
class LocalTemporaryConformanceTest extends WorkspaceConformance {

    @Override
    protected Workspace create(Map<String, String> env) {
        return LocalWorkspace.temporary(env);
    }
}
