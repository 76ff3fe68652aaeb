package dev.magpie.sandbox.conformance;

import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.docker.DockerWorkspace;
import java.util.Map;

/** The contract in containers of the test image; skipped without an engine, failed so under {@code CI=true}. */
@EnabledWithDockerEngine
class DockerConformanceTest extends WorkspaceConformance {

    @Override
    protected Workspace create(Map<String, String> env) {
        return DockerWorkspace.builder(DockerEngineCondition.TEST_IMAGE).env(env).build();
    }
}
