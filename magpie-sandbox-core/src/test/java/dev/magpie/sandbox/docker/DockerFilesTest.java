package dev.magpie.sandbox.docker;

import dev.magpie.sandbox.InvalidInputException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.magpie.sandbox.PathOutsideWorkspaceException;
import dev.magpie.sandbox.WorkspaceException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Files in one container shared by every test of the class; each test works in its own subdirectory. */
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
    void writesAndReadsFilesCreatingParents() {
        byte[] binary = {0, (byte) 0xff, 10, 13, 'z'};
        workspace.writeString("rw/a/b/c.txt", "héllo\n");
        workspace.writeFile("rw/bin.dat", binary);

        assertThat(workspace.readString("rw/a/b/c.txt")).isEqualTo("héllo\n");
        assertThat(workspace.readFile("rw/bin.dat")).isEqualTo(binary);
        assertThat(workspace.shell("cat /home/work/rw/a/b/c.txt").stdout()).isEqualTo("héllo\n");
        assertThat(workspace.readFile("/home/work/rw/bin.dat")).isEqualTo(binary);
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
    void listsChecksAndDeletes() {
        workspace.writeString("entries/b.txt", "b");
        workspace.writeString("entries/.hidden", "h");
        workspace.writeString("entries/a dir/nested.txt", "n");

        assertThat(workspace.list("entries")).containsExactly(".hidden", "a dir", "b.txt");
        assertThat(workspace.exists("entries/b.txt")).isTrue();
        assertThat(workspace.exists("entries/none")).isFalse();

        workspace.delete("entries/a dir");
        workspace.delete("entries/never-existed");

        assertThat(workspace.list("entries")).containsExactly(".hidden", "b.txt");
        assertThatThrownBy(() -> workspace.delete(".")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void readingAMissingFileOrADirectoryIsAClearError() {
        workspace.writeString("present/file.txt", "x");

        assertThatThrownBy(() -> workspace.readString("present/none.txt"))
                .isInstanceOf(WorkspaceException.class).hasMessageContaining("No file at 'present/none.txt'");
        assertThatThrownBy(() -> workspace.readString("present"))
                .isInstanceOf(WorkspaceException.class).hasMessageContaining("is a directory");
        assertThatThrownBy(() -> workspace.list("present/file.txt"))
                .isInstanceOf(WorkspaceException.class).hasMessageContaining("is a file");
    }

    @Test
    void refusesPathsThatLeaveTheWorkingDirectory() {
        for (String path : new String[] {"../outside/secret.txt", "/outside/secret.txt", "a/../../x", "nul\0byte"}) {
            assertThatThrownBy(() -> workspace.readString(path)).isInstanceOf(PathOutsideWorkspaceException.class);
            assertThatThrownBy(() -> workspace.writeString(path, "x"))
                    .isInstanceOf(PathOutsideWorkspaceException.class);
            assertThatThrownBy(() -> workspace.delete(path)).isInstanceOf(PathOutsideWorkspaceException.class);
        }
        assertThat(workspace.shell("cat /outside/secret.txt").stdout()).isEqualTo("secret\n");
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

    @Test
    void writesLargeFiles() {
        byte[] big = "0123456789abcdef".repeat(512 * 1024).getBytes(StandardCharsets.US_ASCII);

        workspace.writeFile("large/8mib.bin", big);

        assertThat(workspace.shell("wc -c < large/8mib.bin").stdout().trim()).isEqualTo(String.valueOf(big.length));
        assertThat(workspace.readFile("large/8mib.bin")).isEqualTo(big);
    }
}
