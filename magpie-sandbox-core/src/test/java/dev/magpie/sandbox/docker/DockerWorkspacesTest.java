package dev.magpie.sandbox.docker;

import dev.magpie.sandbox.Workspaces;
import dev.magpie.sandbox.InvalidInputException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.WorkspaceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Turning specs and settings into container workspaces; what is refused before any engine is asked. */
class DockerWorkspacesTest {

    @TempDir
    Path dir;

    @Test
    void shorthandPointsBelowTheConfiguredGithubBase() throws Exception {
        Files.createDirectories(dir.resolve("acme/widgets.git"));
        Settings url = settings(DockerWorkspaces.GITHUB_BASE_KEY, "https://git.example.invalid/");
        Settings folder = settings(DockerWorkspaces.GITHUB_BASE_KEY, dir.toUri().toString());

        assertThat(DockerWorkspaces.expandShorthand("acme/widgets", url))
                .isEqualTo("https://git.example.invalid/acme/widgets.git");
        assertThat(DockerWorkspaces.expandShorthand("acme/widgets", folder))
                .isEqualTo(dir.resolve("acme/widgets.git").toString());
        assertThat(DockerWorkspaces.expandShorthand("https://host.invalid/a/b.git", folder))
                .isEqualTo("https://host.invalid/a/b.git");
        assertThatThrownBy(() -> DockerWorkspaces.expandShorthand("acme/gadgets", folder))
                .isInstanceOf(WorkspaceException.class).hasMessageContaining("acme/gadgets")
                .hasMessageContaining(DockerWorkspaces.GITHUB_BASE_KEY);
    }

    @Test
    void badSettingsAreRefusedWithTheKeyAndTheValue() {
        WorkspaceSpec spec = WorkspaceSpec.builder().provider(ProviderId.DOCKER).snapshot("any:image").build();

        assertThatThrownBy(() -> Workspaces.create(spec, settings(DockerWorkspaces.MEMORY_KEY, "lots")))
                .isInstanceOf(WorkspaceException.class).hasMessageContaining("MAGPIE_DOCKER_MEMORY")
                .hasMessageContaining("'lots'");
        assertThatThrownBy(() -> Workspaces.create(spec, settings(DockerWorkspaces.CLONE_MODE_KEY, "later")))
                .isInstanceOf(WorkspaceException.class).hasMessageContaining("auto, in-container or on-host");
    }

    @Test
    void aSpecWithoutAnImageOrWithAPathIsRefused() {
        Settings none = Settings.builder().environment(Map.of()).build();

        assertThatThrownBy(() -> Workspaces.create(WorkspaceSpec.builder().provider(ProviderId.DOCKER).build(), none))
                .isInstanceOf(WorkspaceException.class).hasMessageContaining(DockerWorkspaces.IMAGE_KEY);
        assertThatThrownBy(() -> Workspaces.create(WorkspaceSpec.builder().provider(ProviderId.DOCKER)
                .path(dir.toString()).build(), none))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("copyFrom");
    }

    @Test
    void ownershipLabelsCannotBeReplaced() {
        assertThatThrownBy(() -> DockerWorkspace.builder("any:image").label(ContainerLabels.JVM, "1@1"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining(ContainerLabels.JVM);
        assertThatThrownBy(() -> DockerWorkspace.builder(" ")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> DockerWorkspace.builder("any:image").workingDir("relative"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("absolute");
        assertThatThrownBy(() -> DockerWorkspace.builder("any:image").ref("--orphan=x"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'--orphan=x'");
    }

    private static Settings settings(String key, String value) {
        return Settings.builder().values(Map.of(key, value)).environment(Map.of()).build();
    }
}
