package dev.magpie.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.magpie.sandbox.PreparationException;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.Workspaces;
import dev.magpie.sandbox.internal.JvmIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prepared container workspaces, from a real git repository this test creates. */
@EnabledWithDockerEngine
class DockerPreparedWorkspaceTest {

    @TempDir
    Path dir;
    private Path repo;

    @BeforeEach
    void createRepository() throws Exception {
        repo = Files.createDirectories(dir.resolve("widgets"));
        DockerRepositoryTest.git(repo, "init", "--quiet", "--initial-branch=main");
        Files.writeString(repo.resolve("version.txt"), "v1\n");
        DockerRepositoryTest.git(repo, "add", ".");
        DockerRepositoryTest.git(repo, "commit", "--quiet", "-m", "v1");
    }

    /** A preparation that stamps its run with a value no other run shares, and builds from the source. */
    private WorkspaceSpec.Builder spec(String build) {
        return WorkspaceSpec.builder().provider(ProviderId.DOCKER).snapshot(DockerEngineCondition.TEST_IMAGE)
                .cloneFrom(repo.toString()).prepare("cat /proc/sys/kernel/random/uuid > /tmp/run-stamp && " + build);
    }

    private static Workspace create(WorkspaceSpec.Builder spec) {
        return Workspaces.create(spec.build(), Settings.fromSystem());
    }

    @Test
    void preparesOnceAndEveryContainerStartsFromTheCommittedImage() {
        WorkspaceSpec.Builder spec = spec("cat version.txt > built.txt");
        try (Workspace first = create(spec); Workspace second = create(spec)) {
            assertThat(second.readString("built.txt")).isEqualTo("v1\n");
            assertThat(first.exec("cat", "/tmp/run-stamp").stdout()).isEqualTo(second.exec("cat", "/tmp/run-stamp").stdout());
            first.writeString("built.txt", "changed\n");
            assertThat(second.readString("built.txt")).isEqualTo("v1\n");
            assertThat(second.exec("git", "log", "--format=%s").stdout()).isEqualTo("v1\n");
            assertThat(first.id()).isNotEqualTo(second.id());
        }
    }

    @Test
    void aNewCommitOrAnotherCommandPreparesAgain() throws Exception {
        String before;
        try (Workspace workspace = create(spec("cat version.txt > built.txt"))) {
            before = workspace.exec("cat", "/tmp/run-stamp").stdout();
        }
        Files.writeString(repo.resolve("version.txt"), "v2\n");
        DockerRepositoryTest.git(repo, "commit", "--quiet", "-am", "v2");
        try (Workspace newCommit = create(spec("cat version.txt > built.txt"));
             Workspace newCommand = create(spec("cat version.txt version.txt > built.txt"))) {
            assertThat(newCommit.readString("built.txt")).isEqualTo("v2\n");
            assertThat(newCommand.readString("built.txt")).isEqualTo("v2\nv2\n");
            assertThat(newCommit.exec("cat", "/tmp/run-stamp").stdout()).isNotEqualTo(before)
                    .isNotEqualTo(newCommand.exec("cat", "/tmp/run-stamp").stdout());
        }
    }

    @Test
    void anotherEnvironmentPreparesAgain() {
        String build = "echo \"$FLAVOUR\" > built.txt";
        try (Workspace plain = create(spec(build).env("FLAVOUR", "plain"));
             Workspace spicy = create(spec(build).env("FLAVOUR", "spicy"))) {
            assertThat(plain.readString("built.txt")).isEqualTo("plain\n");
            assertThat(spicy.readString("built.txt")).isEqualTo("spicy\n");
            assertThat(plain.exec("cat", "/tmp/run-stamp").stdout())
                    .isNotEqualTo(spicy.exec("cat", "/tmp/run-stamp").stdout());
        }
    }

    @Test
    void aFailedPreparationFailsEveryWorkspaceWithItsTranscriptAndRunsOnce() {
        WorkspaceSpec.Builder spec = spec("echo compiler-missing >&2; exit 5");
        Throwable first = org.assertj.core.api.Assertions.catchThrowable(() -> create(spec));
        assertThat(first).isInstanceOf(PreparationException.class).hasMessageContaining("exit code 5")
                .hasMessageContaining("compiler-missing");
        assertThatThrownBy(() -> create(spec)).isInstanceOf(PreparationException.class)
                .hasMessage(first.getMessage()).hasCause(first);
    }

    @Test
    void theImagesPreparedByAJvmThatIsGoneAreSwept() throws Exception {
        DockerClient client = DockerEngine.connect(DockerEngine.DEFAULT_PROBE_TIMEOUT).client();
        JvmIdentity self = JvmIdentity.current();
        String container = client.createContainerCmd(DockerEngineCondition.TEST_IMAGE).withEntrypoint("true").exec()
                .getId();
        Map<String, String> labels = new LinkedHashMap<>(Map.of(ContainerLabels.OWNER, ContainerLabels.OWNER_VALUE,
                ContainerLabels.HOST, self.host(), ContainerLabels.JVM, StaleContainerSweeperTest.deadPid() + "@1",
                PreparedImages.PREPARED, "test"));
        String dead = client.commitCmd(container).withLabels(labels).exec();
        labels.put(ContainerLabels.JVM, "kept");
        String kept = client.commitCmd(container).withLabels(labels).exec();
        DockerWorkspace.remove(client, container);
        try {
            assertThat(StalePreparedImages.sweep(client, self)).contains(dead).doesNotContain(kept);
            assertThat(exists(client, dead)).isFalse();
            assertThat(exists(client, kept)).isTrue();
        } finally {
            PreparedImages.remove(client, dead);
            PreparedImages.remove(client, kept);
        }
    }

    private static boolean exists(DockerClient client, String image) {
        try {
            client.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}
