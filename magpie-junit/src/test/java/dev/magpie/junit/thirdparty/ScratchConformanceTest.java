package dev.magpie.junit.thirdparty;

import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.Workspaces;
import dev.magpie.sandbox.conformance.WorkspaceConformance;
import java.util.Map;

/** The third-party provider proves itself with the same suite as the built-in ones, found through the registry. */
class ScratchConformanceTest extends WorkspaceConformance {

    @Override
    protected Workspace create(Map<String, String> env) {
        WorkspaceSpec.Builder spec = WorkspaceSpec.builder().provider(ProviderId.of("scratch"));
        env.forEach(spec::env);
        return Workspaces.create(spec.build(), Settings.fromSystem());
    }
}
