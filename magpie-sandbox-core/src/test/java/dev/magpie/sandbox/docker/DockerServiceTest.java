package dev.magpie.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.magpie.sandbox.BackgroundProcess;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.ReadyCheck;
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
     * The pipe lies in a directory of the command's own user, outside sticky {@code /tmp} (where
     * {@code fs.protected_fifos} may refuse another user's pipe), and the helpers that write it run as that user.
     */
    @Test
    void liveInputReachesACommandOfANonRootUserThroughAPipeOutsideStickyDirectories() {
        try (NonRootImage image = new NonRootImage(DockerEngine.connect(DockerEngine.DEFAULT_PROBE_TIMEOUT));
             DockerWorkspace ws = DockerWorkspace.builder(image.name()).build()) {
            BackgroundProcess cat = ws.startShell("id -un;"
                    + " stat -c '%U %A' \"$(dirname \"$(readlink /proc/$$/fd/0)\")\"; cat");

            cat.writeInput("from the test\n");
            cat.closeInput();

            ExecResult result = cat.waitFor(Duration.ofSeconds(60)).orElseThrow(() -> new AssertionError(
                    "Expected the command to see the end of its input and end within 60 s, but it still ran"));
            assertThat(result.stdout()).isEqualTo("worker\nworker drwx------\nfrom the test\n");
        }
    }

    /** A command that puts a link in place of its pipe gets nothing written through it with more rights than its own. */
    @Test
    void aLinkInPlaceOfTheInputPipeIsNotFollowedWithRootsRights() {
        try (NonRootImage image = new NonRootImage(DockerEngine.connect(DockerEngine.DEFAULT_PROBE_TIMEOUT));
             DockerWorkspace ws = DockerWorkspace.builder(image.name()).build()) {
            String passwd = ws.exec("cat", "/etc/passwd").stdout(); // root's, which the command's user cannot write
            BackgroundProcess swapper = ws.startShell("d=$(dirname \"$(readlink /proc/$$/fd/0)\");"
                    + " rm \"$d/in\" && ln -s /etc/passwd \"$d/in\" && echo swapped; sleep 1000");
            swapper.waitUntilReady(ReadyCheck.line("^swapped$"), Duration.ofSeconds(60));

            assertThatThrownBy(() -> swapper.writeInput("overwritten\n")).isInstanceOf(WorkspaceException.class);

            assertThat(ws.exec("cat", "/etc/passwd").stdout()).isEqualTo(passwd).contains("worker");
            swapper.stop(Duration.ZERO);
        }
    }
}
