package dev.magpie.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.magpie.sandbox.BackgroundProcess;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.WorkspaceException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Where a container's ports are reached from this JVM (the conformance suite runs a server there), and live stdin
 * for the image's non-root user.
 */
@EnabledWithDockerEngine
class DockerServiceTest {

    @Test
    void aPortIsReachedAtTheContainersAddress() {
        try (DockerWorkspace ws = DockerWorkspace.builder(DockerEngineCondition.TEST_IMAGE).build()) {
            URI endpoint = ws.endpoint(8080);

            assertThat(endpoint.getScheme()).isEqualTo("http");
            assertThat(endpoint.getPort()).isEqualTo(8080);
            assertThat(ws.exec("sh", "-c", "hostname -I").stdout()).contains(endpoint.getHost());
        }
    }

    @Test
    void aContainerWithoutNetworkRefusesAnEndpointAndSaysWhatToSet() {
        try (DockerWorkspace ws = DockerWorkspace.builder(DockerEngineCondition.TEST_IMAGE).network(false).build()) {
            assertThatThrownBy(() -> ws.endpoint(8080)).isInstanceOf(WorkspaceException.class)
                    .hasMessageContaining("has no network address")
                    .hasMessageContaining("magpie.sandbox.network = host");
        }
    }

    /**
     * Root's helpers write the pipe: under {@code fs.protected_fifos} (Daytona's machines, many hosts) root may not
     * open another user's pipe in sticky {@code /tmp}, so the pipe the command reads must lie elsewhere.
     */
    @Test
    void liveInputReachesACommandOfANonRootUserThroughAPipeOutsideStickyDirectories() {
        try (NonRootImage image = new NonRootImage(DockerEngine.connect(DockerEngine.DEFAULT_PROBE_TIMEOUT));
             DockerWorkspace ws = DockerWorkspace.builder(image.name()).build()) {
            BackgroundProcess cat = ws.startShell("id -un;"
                    + " stat -c '%U %A' \"$(dirname \"$(readlink /proc/$$/fd/0)\")\"; cat");

            cat.writeInput("from root\n");
            cat.closeInput();

            ExecResult result = cat.waitFor(Duration.ofSeconds(60)).orElseThrow(() -> new AssertionError(
                    "Expected the command to see the end of its input and end within 60 s, but it still ran"));
            assertThat(result.stdout()).isEqualTo("worker\nworker drwx------\nfrom root\n");
        }
    }
}
