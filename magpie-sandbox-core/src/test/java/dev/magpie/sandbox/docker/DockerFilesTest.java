package dev.magpie.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.magpie.sandbox.PathOutsideWorkspaceException;
import dev.magpie.sandbox.WorkspaceException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Files in one container shared by every test of the class, each test in its own subdirectory: what Docker does
 * beyond the contract every provider passes (magpie-sandbox-conformance).
 */
@EnabledWithDockerEngine
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerFilesTest {

    private DockerWorkspace workspace;

    @BeforeAll
    void startContainer() {
        workspace = DockerWorkspace.builder(DockerEngineCondition.TEST_IMAGE).workingDir("/home/work").build();
        // Outside the working directory: what the path rules must protect.
        workspace.shell("mkdir -p /outside && echo secret > /outside/secret.txt");
    }

    @AfterAll
    void removeContainer() {
        if (workspace != null) {
            workspace.destroy();
        }
    }

    @Test
    void overwritesAtomicallyKeepingTheModeAndLeavingNoTemporaryFile() {
        workspace.writeString("atomic/run.sh", "#!/bin/sh\necho one\n");
        workspace.shell("chmod 755 atomic/run.sh");

        workspace.writeString("atomic/run.sh", "#!/bin/sh\necho two\n");

        assertThat(workspace.exec("./atomic/run.sh").stdout()).isEqualTo("two\n");
        assertThat(workspace.list("atomic")).containsExactly("run.sh");
    }

    @Test
    void aFailedWriteLeavesNothingBehind() {
        workspace.shell("mkdir -p failed/target.txt");

        assertThatThrownBy(() -> workspace.writeString("failed/target.txt", "x"))
                .isInstanceOf(WorkspaceException.class).hasMessageContaining("directory");
        assertThat(workspace.list("failed")).containsExactly("target.txt");
        assertThat(workspace.list("failed/target.txt")).isEmpty();
        assertThat(workspace.shell("ls -A /tmp | grep -c magpie-upload").stdout()).isEqualTo("0\n");
    }

    @Test
    void refusesSymlinksThatPointOutsideAndNeverTouchesTheirTargets() {
        workspace.shell("mkdir -p links && ln -sfn /outside links/dir && ln -sfn /outside/secret.txt links/file"
                + " && ln -sfn ../links links/self");

        assertThatThrownBy(() -> workspace.readString("links/file")).isInstanceOf(PathOutsideWorkspaceException.class)
                .hasMessageContaining("/outside/secret.txt");
        assertThatThrownBy(() -> workspace.readString("links/dir/secret.txt"))
                .isInstanceOf(PathOutsideWorkspaceException.class);
        assertThatThrownBy(() -> workspace.writeString("links/dir/new.txt", "x"))
                .isInstanceOf(PathOutsideWorkspaceException.class);
        assertThatThrownBy(() -> workspace.writeString("links/file", "overwritten"))
                .isInstanceOf(PathOutsideWorkspaceException.class);
        assertThatThrownBy(() -> workspace.list("links/dir")).isInstanceOf(PathOutsideWorkspaceException.class);
        assertThatThrownBy(() -> workspace.delete("links/dir/secret.txt"))
                .isInstanceOf(PathOutsideWorkspaceException.class);

        // A link inside is followed; deleting a link removes the link, never what it points to.
        workspace.writeString("links/self/through-link.txt", "in");
        assertThat(workspace.readString("links/through-link.txt")).isEqualTo("in");
        workspace.delete("links/dir");
        workspace.delete("links/file");

        assertThat(workspace.list("links")).containsExactly("self", "through-link.txt");
        assertThat(workspace.shell("ls /outside; cat /outside/secret.txt").stdout())
                .isEqualTo("secret.txt\nsecret\n");
    }

}
