package dev.magpie.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where {@link Provider#AUTO} sends a spec, and what the local provider refuses before creating anything. */
class WorkspacesTest {

    private static final WorkspaceSpec SNAPSHOT = WorkspaceSpec.builder().snapshot("image-or-snapshot").build();

    @Test
    void autoIsLocalWithoutASnapshotAndOtherwiseDockerUnlessDaytonaHasAKeyOrTheSettingSays() {
        Settings bare = settings(Map.of(), Map.of());
        Settings key = settings(Map.of(), Map.of("DAYTONA_API_KEY", "k"));

        assertThat(Workspaces.resolve(WorkspaceSpec.builder().cloneFrom("acme/widgets").build(), key))
                .isEqualTo(ProviderId.LOCAL);
        assertThat(Workspaces.resolve(SNAPSHOT, bare)).isEqualTo(ProviderId.DOCKER);
        assertThat(Workspaces.resolve(SNAPSHOT, key)).isEqualTo(ProviderId.DAYTONA);
        assertThat(Workspaces.resolve(SNAPSHOT, settings(Map.of(Workspaces.SNAPSHOT_PROVIDER_KEY, "Docker"),
                Map.of("DAYTONA_API_KEY", "k")))).isEqualTo(ProviderId.DOCKER);
        assertThat(Workspaces.resolve(SNAPSHOT, settings(Map.of(Workspaces.SNAPSHOT_PROVIDER_KEY, "daytona"),
                Map.of()))).isEqualTo(ProviderId.DAYTONA);
        assertThat(Workspaces.resolve(SNAPSHOT.newBuilder().provider(ProviderId.LOCAL).build(), key))
                .isEqualTo(ProviderId.LOCAL);
        assertThatThrownBy(() -> Workspaces.resolve(SNAPSHOT, settings(Map.of(Workspaces.SNAPSHOT_PROVIDER_KEY,
                "cloud"), Map.of()))).isInstanceOf(WorkspaceException.class)
                .hasMessageContaining(Workspaces.SNAPSHOT_PROVIDER_KEY).hasMessageContaining("'cloud'");
    }

    @Test
    void theLocalProviderRefusesASnapshotAndAWorkingDirectoryWithoutAPath() {
        Settings bare = settings(Map.of(), Map.of());

        assertThatThrownBy(() -> Workspaces.create(SNAPSHOT.newBuilder().provider(ProviderId.LOCAL).build(), bare))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'image-or-snapshot'");
        assertThatThrownBy(() -> Workspaces.create(WorkspaceSpec.builder().workingDir("sub").build(), bare))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'sub'")
                .hasMessageContaining("subdirectory");
    }

    private static Settings settings(Map<String, String> values, Map<String, String> environment) {
        return Settings.builder().values(values).environment(environment).build();
    }
}
