package dev.magpie.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.ProviderUnavailableException;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.Workspaces;
import dev.magpie.sandbox.docker.DockerEngine;
import dev.magpie.sandbox.docker.DockerWorkspace;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * {@code @Sandbox} with a Docker image: a container per declaration, removed after the test, and the switch that
 * sends snapshots to Docker or Daytona. Runs where an engine holds the test image; fails without one when CI=true.
 */
class DockerSandboxTest {

    static final String IMAGE = System.getenv().getOrDefault("MAGPIE_DOCKER_TEST_IMAGE", "magpie/debian-git:bookworm");
    private static final String ID = "id";
    /** The fixtures name their image through a placeholder, as a team would point tests at its own image. */
    private static final String IMAGE_KEY = "magpie.docker.test-image";

    @BeforeAll
    static void needsAnEngineWithTheImage() {
        String missing;
        try {
            missing = DockerEngine.connect(DockerEngine.DEFAULT_PROBE_TIMEOUT).hasImage(IMAGE) ? null
                    : "the engine has no image " + IMAGE + "; run .ci/docker-setup";
        } catch (ProviderUnavailableException e) {
            missing = e.getMessage();
        }
        if (missing != null && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true, so the container tests must run, but " + missing);
        }
        String reason = "Container tests skipped: " + missing;
        Assumptions.assumeTrue(missing == null, reason);
    }

    static class InContainer {
        @Test
        void runs(@Sandbox(provider = "docker", snapshot = "${" + IMAGE_KEY + "}", workingDir = "/srv/app",
                env = "GREETING=hello") Workspace sandbox, TestReporter reporter) {
            reporter.publishEntry(ID, sandbox.id());
            sandbox.writeString("notes/a.txt", "written");
            assertThat(sandbox).isInstanceOf(DockerWorkspace.class);
            assertThat(sandbox.shell("pwd; echo $GREETING; cat notes/a.txt").stdout())
                    .isEqualTo("/srv/app\nhello\nwritten");
        }
    }

    @Test
    void aSnapshotWithTheDockerProviderIsAContainerRemovedAfterTheTest() {
        EngineRun run = EngineRun.run(InContainer.class, IMAGE_KEY, IMAGE);

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0).aborted(0));
        assertThat(run.reported(ID)).singleElement().satisfies(id -> assertThat(containerExists(id)).isFalse());
    }

    static class Kept {
        @Test
        void runs(@Sandbox(provider = "docker", snapshot = "${" + IMAGE_KEY + "}", cleanup = CleanupMode.NEVER)
                Workspace sandbox, TestReporter reporter) {
            reporter.publishEntry(ID, sandbox.id());
        }
    }

    @Test
    void aKeptContainerIsReportedWithHowToReachAndRemoveIt() throws Exception {
        EngineRun run = EngineRun.run(Kept.class, IMAGE_KEY, IMAGE);

        String id = run.reported(ID).get(0);
        try {
            run.results().testEvents().assertStatistics(stats -> stats.succeeded(1));
            assertThat(containerExists(id)).isTrue();
            assertThat(run.reported(Sandbox.KEPT_REPORT_KEY)).singleElement().asString()
                    .contains("Docker container " + id).contains("docker exec -it").contains("docker rm -f " + id);
        } finally {
            Process remove = new ProcessBuilder("docker", "rm", "-f", id).redirectErrorStream(true).start();
            remove.getInputStream().readAllBytes();
            assertThat(remove.waitFor()).isZero();
        }
        assertThat(containerExists(id)).isFalse();
    }

    static class Routed {
        @Test
        void runs(@Sandbox(snapshot = "${" + IMAGE_KEY + "}") Workspace sandbox) {
            assertThat(sandbox.provider()).isEqualTo(ProviderId.DOCKER);
        }
    }

    @Test
    void theSnapshotProviderSettingSendsSnapshotsToDockerOrDaytona() {
        EngineRun docker = EngineRun.run(Routed.class, IMAGE_KEY, IMAGE,
                Workspaces.SNAPSHOT_PROVIDER_KEY, "docker");
        EngineRun daytona = EngineRun.run(Routed.class, IMAGE_KEY, IMAGE,
                Workspaces.SNAPSHOT_PROVIDER_KEY, "daytona");

        docker.results().testEvents().assertStatistics(stats -> stats.succeeded(1));
        // Daytona without an API key is unavailable: the test is skipped, which shows where it was sent.
        daytona.results().testEvents().assertStatistics(stats -> stats.aborted(1));
        assertThat(daytona.throwableOf("runs")).hasMessageContaining("daytona");
    }

    private static boolean containerExists(String id) {
        return DockerEngine.connect(DockerEngine.DEFAULT_PROBE_TIMEOUT).hasContainer(id);
    }
}
