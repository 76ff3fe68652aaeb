package dev.magpie.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.Workspaces;
import dev.magpie.sandbox.internal.JvmIdentity;
import dev.magpie.sandbox.internal.WarmPools;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Warm pools of containers: a taken container is fresh, pooled ones carry the sweep's labels, the drain. */
@EnabledWithDockerEngine
class DockerPoolTest {

    private static final Settings POOLED = Settings.builder().values(Map.of(Workspaces.POOL_SIZE_KEY, "2")).build();
    private static final WorkspaceSpec SPEC = WorkspaceSpec.builder().provider(ProviderId.DOCKER)
            .snapshot(DockerEngineCondition.TEST_IMAGE).env("MARK", "pool").build();

    private final DockerEngine engine = DockerEngine.connect(DockerEngine.DEFAULT_PROBE_TIMEOUT);

    @AfterEach
    void drain() {
        Workspaces.drainPools();
    }

    @Test
    void aPooledContainerIsFreshAndTheDrainRemovesEveryPooledOne() {
        int before = mine().size();
        Workspaces.create(SPEC, POOLED).destroy();
        Workspace used = Workspaces.create(SPEC, POOLED);
        await(2);
        assertThat(mine()).as("containers of this JVM, with the sweep's labels").hasSize(before + 3);
        used.writeFile("left-behind.txt", "x".getBytes(StandardCharsets.UTF_8));
        assertThat(used.shell("echo x > /tmp/left-behind.txt").exitCode()).isZero();
        used.destroy();

        Workspace taken = Workspaces.create(SPEC, POOLED);
        try {
            assertThat(taken.id()).isNotEqualTo(used.id());
            assertThat(taken.transcript().isEmpty()).isTrue();
            assertThat(taken.exists("left-behind.txt")).isFalse();
            assertThat(taken.shell("test -e /tmp/left-behind.txt").exitCode()).isOne();
            assertThat(taken.shell("echo $MARK").stdout()).isEqualTo("pool\n");
        } finally {
            taken.destroy();
        }
        await(2);

        Workspaces.drainPools();

        assertThat(mine()).hasSize(before);
    }

    private void await(int ready) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (WarmPools.ready(ProviderId.DOCKER, SPEC, POOLED) != ready) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Expected " + ready + " pooled containers, found "
                        + WarmPools.ready(ProviderId.DOCKER, SPEC, POOLED));
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private List<?> mine() {
        return engine.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(ContainerLabels.JVM, JvmIdentity.current().label())).exec();
    }
}
