package dev.magpie.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.sandbox.ExecResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalWorkspaceTest {

    @TempDir
    Path dir;

    @Test
    void runsCommandsInTheDirectoryAndKeepsItOnDestroy() throws Exception {
        Files.writeString(dir.resolve("hello.txt"), "hi");
        try (LocalWorkspace workspace = LocalWorkspace.fromPath(dir)) {
            ExecResult result = workspace.shell("cat hello.txt; echo oops >&2; exit 3");
            assertThat(result.exitCode()).isEqualTo(3);
            assertThat(result.stdout()).isEqualTo("hi");
            assertThat(result.stderr()).isEqualTo("oops\n");
            assertThat(result.output()).isEqualTo("hioops\n");
        }
        assertThat(dir.resolve("hello.txt")).exists();
    }

    @Test
    void temporaryWorkspaceIsDeletedOnDestroy() {
        LocalWorkspace workspace = LocalWorkspace.temporary(Map.of("GREETING", "hello"));
        assertThat(workspace.shell("echo $GREETING").stdout()).isEqualTo("hello\n");
        Path directory = workspace.directory();
        workspace.destroy();
        assertThat(directory).doesNotExist();
    }
}
