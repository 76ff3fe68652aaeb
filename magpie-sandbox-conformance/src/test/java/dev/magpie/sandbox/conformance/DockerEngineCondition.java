package dev.magpie.sandbox.conformance;

import dev.magpie.sandbox.docker.DockerEngine;

import dev.magpie.sandbox.ProviderUnavailableException;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The condition behind {@link EnabledWithDockerEngine}. */
final class DockerEngineCondition implements ExecutionCondition {

    /** The image the container tests use; .ci/docker-setup builds it. */
    static final String TEST_IMAGE = System.getenv().getOrDefault("MAGPIE_DOCKER_TEST_IMAGE",
            "magpie/debian-git:bookworm");

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String missing;
        try {
            DockerEngine engine = DockerEngine.connect(DockerEngine.DEFAULT_PROBE_TIMEOUT);
            if (engine.hasImage(TEST_IMAGE)) {
                return ConditionEvaluationResult.enabled("Docker engine at " + engine.endpoint() + " has " + TEST_IMAGE);
            }
            missing = "the Docker engine at " + engine.endpoint() + " has no image " + TEST_IMAGE
                    + "; run .ci/docker-setup to build it";
        } catch (ProviderUnavailableException e) {
            missing = e.getMessage();
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true, so the container tests must run, but " + missing);
        }
        return ConditionEvaluationResult.disabled("Container tests skipped: " + missing);
    }
}
