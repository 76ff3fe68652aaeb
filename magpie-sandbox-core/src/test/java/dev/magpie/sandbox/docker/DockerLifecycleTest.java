package dev.magpie.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.magpie.sandbox.NetworkPolicy;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceDestroyedException;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.Workspaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Creating, limiting and destroying containers; each test owns its container. */
@EnabledWithDockerEngine
class DockerLifecycleTest {

    private final DockerEngine engine = DockerEngine.connect(DockerEngine.DEFAULT_PROBE_TIMEOUT);

    @Test
    void destroyRemovesTheContainerAndIsIdempotent() {
        DockerWorkspace workspace = DockerWorkspace.builder(DockerEngineCondition.TEST_IMAGE).build();
        String id = workspace.id();
        assertThat(engine.client().inspectContainerCmd(id).exec().getState().getRunning()).isTrue();

        workspace.destroy();
        workspace.destroy();

        assertThatThrownBy(() -> engine.client().inspectContainerCmd(id).exec()).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> workspace.exec("true")).isInstanceOf(WorkspaceDestroyedException.class);
        assertThatThrownBy(() -> workspace.readString("x")).isInstanceOf(WorkspaceDestroyedException.class);
    }

    @Test
    void aContainerRemovedBehindItsBackIsAClearErrorAndDestroySucceeds() {
        DockerWorkspace workspace = DockerWorkspace.builder(DockerEngineCondition.TEST_IMAGE).build();
        engine.client().removeContainerCmd(workspace.id()).withForce(true).exec();

        assertThatThrownBy(() -> workspace.exec("true")).isInstanceOf(WorkspaceException.class)
                .hasMessageContaining("no longer exists");
        assertThatThrownBy(() -> workspace.readString("x")).isInstanceOf(WorkspaceException.class)
                .hasMessageContaining("no longer exists");
        workspace.destroy();

        assertThatThrownBy(() -> workspace.exec("true")).isInstanceOf(WorkspaceDestroyedException.class);
    }

    @Test
    void theSharedNetworkPolicyMeansTheSameForContainers() {
        WorkspaceSpec spec = WorkspaceSpec.builder().provider(ProviderId.DOCKER)
                .snapshot(DockerEngineCondition.TEST_IMAGE).build();
        Settings none = Settings.builder().values(Map.of(NetworkPolicy.KEY, "none")).build();
        Settings host = Settings.builder().values(Map.of(NetworkPolicy.KEY, "host")).build();

        try (Workspace off = Workspaces.create(spec, none); Workspace on = Workspaces.create(spec, host)) {
            assertThat(off.shell("ls /sys/class/net").stdout()).isEqualTo("lo\n");
            assertThat(on.shell("ls /sys/class/net").stdout()).contains("eth0");
        }
    }

    @Test
    void switchesTheNetworkOffAndLimitsMemoryAndCpu() {
        try (DockerWorkspace workspace = DockerWorkspace.builder(DockerEngineCondition.TEST_IMAGE)
                .network(false).memoryBytes(256L << 20).cpus(0.5).build()) {
            assertThat(workspace.shell("ls /sys/class/net").stdout()).isEqualTo("lo\n");
            assertThat(workspace.shell("cat /sys/fs/cgroup/memory.max 2>/dev/null"
                    + " || cat /sys/fs/cgroup/memory/memory.limit_in_bytes").stdout().trim())
                    .isEqualTo(String.valueOf(256L << 20));
            var hostConfig = engine.client().inspectContainerCmd(workspace.id()).exec().getHostConfig();
            assertThat(hostConfig.getNanoCPUs()).isEqualTo(500_000_000L);
            assertThat(hostConfig.getNetworkMode()).isEqualTo("none");
        }
    }

    @Test
    void hasANetworkByDefault() {
        try (DockerWorkspace workspace = DockerWorkspace.builder(DockerEngineCondition.TEST_IMAGE).build()) {
            assertThat(workspace.shell("ls /sys/class/net").stdout()).contains("eth0");
        }
    }

    @Test
    void worksAsTheNonRootUserOfTheImage(@TempDir Path source) throws IOException {
        Files.writeString(source.resolve("copied.txt"), "from this machine");
        try (NonRootImage image = new NonRootImage(engine);
             DockerWorkspace workspace = DockerWorkspace.builder(image.name()).copyFrom(source).build()) {
            workspace.writeString("written/by-api.txt", "x");
            workspace.shell("echo appended >> copied.txt");
            workspace.writeString("stdin-target.txt", "old");

            assertThat(workspace.exec("id", "-un").stdout()).isEqualTo("worker\n");
            assertThat(workspace.shell("touch by-command && cat -").exitCode()).isZero();
            assertThat(workspace.exec(dev.magpie.sandbox.ExecRequest.builder("cat").stdin("in").build())
                    .stdout()).isEqualTo("in");
            assertThat(workspace.shell("stat -c %U . written written/by-api.txt by-command copied.txt").stdout())
                    .isEqualTo("worker\nworker\nworker\nworker\nworker\n");
            assertThat(workspace.readString("copied.txt")).isEqualTo("from this machineappended\n");
            // Root set the container up, and left no process of its own behind.
            assertThat(workspace.exec("ps", "-e", "-o", "user=").stdout().lines().distinct())
                    .containsExactly("worker");
        }
    }

    @Test
    void aMissingImageIsAClearError() {
        assertThatThrownBy(() -> DockerWorkspace.builder("magpie/no-such-image:never").build())
                .isInstanceOf(WorkspaceException.class)
                .hasMessageContaining("magpie/no-such-image:never").hasMessageContaining("Build or pull it");
    }

    @Test
    void workspacesRoutesDockerAndSnapshotsToContainers() {
        Settings settings = Settings.builder().values(Map.of(Workspaces.SNAPSHOT_PROVIDER_KEY, "docker"))
                .environment(Map.of()).build();
        WorkspaceSpec auto = WorkspaceSpec.builder().snapshot(DockerEngineCondition.TEST_IMAGE)
                .workingDir("/srv/app").env("GREETING", "hi").build();

        try (Workspace explicit = Workspaces.create(auto.newBuilder().provider(ProviderId.DOCKER).build(), settings);
             Workspace routed = Workspaces.create(auto, settings)) {
            assertThat(explicit).isInstanceOf(DockerWorkspace.class);
            assertThat(routed).isInstanceOf(DockerWorkspace.class);
            assertThat(routed.shell("pwd; echo $GREETING").stdout()).isEqualTo("/srv/app\nhi\n");
        }
    }
}
