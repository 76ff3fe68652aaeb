package dev.magpie.sandbox.local;

import dev.magpie.sandbox.InvalidInputException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.magpie.sandbox.PathOutsideWorkspaceException;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.TreeDeleter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFilesTest {

    @TempDir
    Path base;

    Path inside;
    Path outside;
    LocalWorkspace workspace;

    @BeforeEach
    void setUp() throws Exception {
        inside = Files.createDirectories(base.resolve("inside"));
        outside = Files.createDirectories(base.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(inside.resolve("out-dir"), outside);
        Files.createSymbolicLink(inside.resolve("out-file"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(inside.resolve("dangling"), outside.resolve("new.txt"));
        Files.createDirectories(inside.resolve("real"));
        Files.createSymbolicLink(inside.resolve("in-link"), Path.of("real"));
        workspace = LocalWorkspace.fromPath(inside);
    }

    @Test
    void symlinksLeadingOutsideAreRefusedForEveryOperation() {
        for (String path : new String[] {"out-dir/secret.txt", "out-file", "dangling", "out-dir/sub/new.txt"}) {
            assertThatThrownBy(() -> workspace.readString(path)).as(path)
                    .isInstanceOf(PathOutsideWorkspaceException.class).hasMessageContaining("symlink");
            assertThatThrownBy(() -> workspace.writeString(path, "x")).as(path)
                    .isInstanceOf(PathOutsideWorkspaceException.class);
            assertThatThrownBy(() -> workspace.delete(path)).as(path)
                    .isInstanceOf(PathOutsideWorkspaceException.class);
            assertThatThrownBy(() -> workspace.exists(path)).as(path)
                    .isInstanceOf(PathOutsideWorkspaceException.class);
        }
        assertThatThrownBy(() -> workspace.list("out-dir")).isInstanceOf(PathOutsideWorkspaceException.class);
        assertThat(outside.resolve("secret.txt")).hasContent("secret");
        assertThat(outside.resolve("new.txt")).doesNotExist();
        assertThat(outside.resolve("sub")).doesNotExist();
    }

    @Test
    void writesAtomicallyKeepingModesAndLeavingNoTemporaryFiles() throws Exception {
        workspace.writeString("bin/run.sh", "#!/bin/sh\necho one\n");
        assertThat(Files.getPosixFilePermissions(inside.resolve("bin/run.sh")))
                .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(inside.resolve("bin/run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        workspace.writeString("bin/run.sh", "#!/bin/sh\necho two\n");
        assertThat(workspace.exec("./bin/run.sh").stdout()).isEqualTo("two\n");
        assertThat(workspace.list("bin")).containsExactly("run.sh");
    }

    @Test
    void deletesTreesWithReadOnlyPartsWithoutFollowingSymlinks() throws Exception {
        Path tree = Files.createDirectories(inside.resolve("tree/a/b/c"));
        Files.writeString(tree.resolve("f.txt"), "x");
        Files.createSymbolicLink(tree.resolve("to-outside"), outside);
        Files.setPosixFilePermissions(tree.resolve("f.txt"), PosixFilePermissions.fromString("r--------"));
        Files.setPosixFilePermissions(tree, PosixFilePermissions.fromString("r-x------"));
        Files.setPosixFilePermissions(inside.resolve("tree/a"), PosixFilePermissions.fromString("---------"));
        workspace.delete("tree");
        assertThat(inside.resolve("tree")).doesNotExist();
        assertThat(outside.resolve("secret.txt")).hasContent("secret");
        workspace.delete("tree"); // missing: nothing to do
        assertThatThrownBy(() -> workspace.delete(".")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void temporaryWorkspaceIsDeletedOnDestroyEvenWhenReadOnly() throws Exception {
        LocalWorkspace temp = LocalWorkspace.temporary(Map.of());
        temp.writeString("deep/er/file.txt", "x");
        Files.createSymbolicLink(temp.directory().resolve("deep/link"), outside);
        temp.shell("chmod -R a-w deep").exitCode();
        Path directory = temp.directory();
        assertThat(directory.getFileName().toString()).startsWith("magpie-" + ProcessHandle.current().pid() + "-");
        temp.destroy();
        assertThat(directory).doesNotExist();
        assertThat(outside.resolve("secret.txt")).hasContent("secret");
    }

    @Test
    void whatCannotBeDeletedIsReported() throws Exception {
        LocalWorkspace temp = LocalWorkspace.temporary(Map.of());
        temp.writeString("stuck/file.txt", "x");
        temp.writeString("free.txt", "x");
        Path stuck = temp.directory().resolve("stuck/file.txt");
        boolean immutable = temp.exec("chattr", "+i", stuck.toString()).succeeded();
        try {
            assumeTrue(immutable, "chattr +i is needed to make a file undeletable");
            assertThatThrownBy(temp::destroy).isInstanceOf(WorkspaceException.class)
                    .hasMessageContaining("Could not delete").hasMessageContaining(stuck.toString());
            assertThat(stuck).exists();
            assertThat(temp.directory().resolve("free.txt")).doesNotExist();
        } finally {
            new ProcessBuilder("chattr", "-i", stuck.toString()).start().waitFor();
            TreeDeleter.delete(temp.directory());
        }
    }

    @Test
    void missingDirectoryIsAClearError() {
        assertThatThrownBy(() -> LocalWorkspace.fromPath(base.resolve("nope")))
                .isInstanceOf(WorkspaceException.class).hasMessageContaining("does not exist");
    }
}
