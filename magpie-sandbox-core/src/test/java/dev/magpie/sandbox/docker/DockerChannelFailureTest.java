package dev.magpie.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.WorkspaceException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A command channel that dies, wedges or loses its container never loses a result silently: the command in
 * flight fails with a {@link WorkspaceException}, and the next command runs on a new channel.
 */
@EnabledWithDockerEngine
class DockerChannelFailureTest {

    @Test
    void aChannelKilledFromInsideFailsItsCommandAndTheNextGetsANewChannel() {
        try (DockerWorkspace workspace = DockerWorkspace.builder(DockerEngineCondition.TEST_IMAGE).build()) {
            String before = parentPid(workspace);

            assertThatThrownBy(() -> workspace.shell("echo partial; kill -9 $PPID; sleep 0.2"))
                    .isInstanceOf(WorkspaceException.class)
                    .hasMessageContaining("command channel").hasMessageContaining("ended");

            String after = parentPid(workspace);
            assertThat(after).isNotEqualTo(before);
            assertThat(workspace.exec("echo", "fine").stdout()).isEqualTo("fine\n");
        }
    }

    @Test
    void aWedgedChannelFailsItsCommandAtTheTimeoutAndTheNextGetsANewChannel() {
        try (DockerWorkspace workspace = DockerWorkspace.builder(DockerEngineCondition.TEST_IMAGE).build()) {
            String wedged = parentPid(workspace);

            assertThatThrownBy(() -> workspace.exec(ExecRequest.builder("sh", "-c", "kill -STOP $PPID")
                    .timeout(Duration.ofSeconds(1)).build()))
                    .isInstanceOf(WorkspaceException.class)
                    .hasMessageContaining("did not report the end");

            assertThat(parentPid(workspace)).isNotEqualTo(wedged);
            // The stopped channel was killed, not left behind.
            assertThat(workspace.shell("cut -d' ' -f3 /proc/" + wedged + "/stat 2>/dev/null | grep -v Z").stdout())
                    .isEmpty();
        }
    }

    @Test
    void aRestartedContainerFailsTheCommandInFlightAndTheNextCommandsRun() throws Exception {
        try (DockerWorkspace workspace = DockerWorkspace.builder(DockerEngineCondition.TEST_IMAGE).build()) {
            String pidFile = "/tmp/in-flight-" + UUID.randomUUID();
            CompletableFuture<?> inFlight = CompletableFuture.supplyAsync(() ->
                    workspace.shell("echo $$ > " + pidFile + "; exec sleep 1000"));
            awaitFile(workspace, pidFile);

            restart(workspace);

            assertThatThrownBy(() -> inFlight.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(WorkspaceException.class).hasMessageContaining("ended");
            assertThat(workspace.exec("echo", "after restart").stdout()).isEqualTo("after restart\n");
            restart(workspace);
            assertThat(workspace.exec("echo", "after an idle restart").stdout()).isEqualTo("after an idle restart\n");
        }
    }

    @Test
    void destroyFailsTheCommandInFlight() throws Exception {
        DockerWorkspace workspace = DockerWorkspace.builder(DockerEngineCondition.TEST_IMAGE).build();
        String pidFile = "/tmp/destroyed-" + UUID.randomUUID();
        CompletableFuture<?> inFlight = CompletableFuture.supplyAsync(() ->
                workspace.shell("echo $$ > " + pidFile + "; exec sleep 1000"));
        awaitFile(workspace, pidFile);

        workspace.destroy();

        assertThatThrownBy(() -> inFlight.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WorkspaceException.class);
        assertThat(DockerEngine.connect(DockerEngine.DEFAULT_PROBE_TIMEOUT).hasContainer(workspace.id())).isFalse();
    }

    private static String parentPid(DockerWorkspace workspace) {
        return workspace.shell("echo $PPID").stdout().strip();
    }

    private static void restart(DockerWorkspace workspace) {
        DockerEngine.connect(DockerEngine.DEFAULT_PROBE_TIMEOUT).client().restartContainerCmd(workspace.id())
                .withTimeout(0).exec();
    }

    private static void awaitFile(DockerWorkspace workspace, String path) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (workspace.exec("test", "-s", path).exitCode() != 0) {
            assertThat(System.nanoTime()).as("%s written within 30 s", path).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
