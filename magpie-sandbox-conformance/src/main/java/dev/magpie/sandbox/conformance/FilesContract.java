package dev.magpie.sandbox.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Reading, writing, listing and deleting files relative to the working directory. Each test works in its own
 * directory of the shared workspace, prepared by one command where the test is not about writing.
 */
public interface FilesContract extends ConformanceFixture {

    @Test
    default void filesAreWrittenWithTheirParentsAndReadBackByteForByte() {
        Workspace ws = workspace();
        byte[] everyByte = new byte[256];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }

        ws.writeFile("files-roundtrip/a/b/c/every-byte.bin", everyByte);
        ws.writeString("files-roundtrip/text.txt", "héllo ✓\nsecond line\n");
        ws.writeString("files-roundtrip/empty.txt", "");
        ws.writeString(ws.workingDir() + "/files-roundtrip/absolute-inside.txt", "absolute");

        assertThat(ws.readFile("files-roundtrip/a/b/c/every-byte.bin")).isEqualTo(everyByte);
        assertThat(ws.readString("files-roundtrip/text.txt")).isEqualTo("héllo ✓\nsecond line\n");
        assertThat(ws.readFile("files-roundtrip/empty.txt")).isEmpty();
        assertThat(ws.readString("files-roundtrip/absolute-inside.txt")).isEqualTo("absolute");
        assertThat(ws.shell("cat files-roundtrip/text.txt").stdout()).as("what commands see")
                .isEqualTo("héllo ✓\nsecond line\n");
    }

    @Test
    default void aLargeFileRoundTrips() {
        byte[] big = "0123456789abcdef".repeat(256 * 1024).getBytes(StandardCharsets.US_ASCII);

        workspace().writeFile("files-large/4mib.bin", big);

        assertThat(workspace().shell("wc -c < files-large/4mib.bin").stdout().strip())
                .isEqualTo(String.valueOf(big.length));
        assertThat(workspace().readFile("files-large/4mib.bin")).isEqualTo(big);
    }

    @Test
    default void aFileWrittenAgainIsReplacedWholeLeavingNoTemporaryFile() {
        Workspace ws = workspace();
        ws.writeString("files-replace/notes.txt", "a longer first version\n");

        ws.writeString("files-replace/notes.txt", "short\n");

        assertThat(ws.readString("files-replace/notes.txt")).isEqualTo("short\n");
        assertThat(ws.shell("ls -A files-replace").stdout()).isEqualTo("notes.txt\n");
    }

    @Test
    default void writingOverADirectoryFailsAndLeavesItAsItWas() {
        Workspace ws = workspace();
        ws.shell("mkdir -p files-over-dir/dir && printf kept > files-over-dir/dir/keep.txt");

        assertThatThrownBy(() -> ws.writeString("files-over-dir/dir", "x")).isInstanceOf(WorkspaceException.class)
                .hasMessageContaining("files-over-dir/dir");

        assertThat(ws.shell("ls -A files-over-dir files-over-dir/dir").stdout())
                .isEqualTo("files-over-dir:\ndir\n\nfiles-over-dir/dir:\nkeep.txt\n");
        assertThat(ws.readString("files-over-dir/dir/keep.txt")).isEqualTo("kept");
    }

    @Test
    default void writingUnderAFileFailsAndLeavesItAsItWas() {
        Workspace ws = workspace();
        ws.shell("mkdir files-under-file && printf plain > files-under-file/plain.txt");

        assertThatThrownBy(() -> ws.writeString("files-under-file/plain.txt/child", "x"))
                .isInstanceOf(WorkspaceException.class).hasMessageContaining("files-under-file/plain.txt/child");

        assertThat(ws.shell("ls -A files-under-file").stdout()).isEqualTo("plain.txt\n");
        assertThat(ws.readString("files-under-file/plain.txt")).isEqualTo("plain");
    }

    @Test
    default void existsTellsFilesAndDirectoriesFromNothing() {
        Workspace ws = workspace();
        ws.shell("mkdir files-exists && touch files-exists/file.txt");

        assertThat(ws.exists("files-exists/file.txt")).isTrue();
        assertThat(ws.exists("files-exists")).isTrue();
        assertThat(ws.exists("files-exists/none.txt")).isFalse();
        assertThat(ws.exists("files-exists/none/deeper.txt")).isFalse();
        assertThat(ws.exists(".")).isTrue();
    }

    @Test
    default void listGivesTheEntryNamesSorted() {
        Workspace ws = workspace();
        ws.shell("mkdir -p files-list/empty 'files-list/a dir' && cd files-list"
                + " && touch b.txt 'a dir/nested.txt' .hidden B.txt c 10 9");

        assertThat(ws.list("files-list")).containsExactly(".hidden", "10", "9", "B.txt", "a dir", "b.txt", "c",
                "empty");
        assertThat(ws.list("files-list/empty")).isEmpty();
        assertThat(ws.list("files-list/a dir")).containsExactly("nested.txt");
    }

    @Test
    default void readingOrListingWhatIsNotThereIsAnErrorNamingThePath() {
        Workspace ws = workspace();
        ws.shell("mkdir files-errors && touch files-errors/file.txt");

        assertThatThrownBy(() -> ws.readString("files-errors/none.txt")).isInstanceOf(WorkspaceException.class)
                .hasMessageContaining("files-errors/none.txt");
        assertThatThrownBy(() -> ws.readString("files-errors")).isInstanceOf(WorkspaceException.class)
                .hasMessageContaining("files-errors");
        assertThatThrownBy(() -> ws.list("files-errors/none")).isInstanceOf(WorkspaceException.class)
                .hasMessageContaining("files-errors/none");
        assertThatThrownBy(() -> ws.list("files-errors/file.txt")).isInstanceOf(WorkspaceException.class)
                .hasMessageContaining("files-errors/file.txt");
    }

    @Test
    default void deleteRemovesAFileOrAWholeTreeEvenWithReadOnlyParts() {
        Workspace ws = workspace();
        ws.shell("mkdir -p files-delete/tree/a/b/c && cd files-delete && touch single.txt tree/a/b/c/deep.txt"
                + " tree/a/other.txt && chmod a-w tree/a/other.txt tree/a/b");

        ws.delete("files-delete/single.txt");
        ws.delete("files-delete/tree");

        assertThat(ws.exists("files-delete/single.txt")).isFalse();
        assertThat(ws.exists("files-delete/tree")).isFalse();
        assertThat(ws.list("files-delete")).isEmpty();
    }

    @Test
    default void deletingWhatIsNotThereDoesNothing() {
        workspace().delete("files-never-existed");
        workspace().delete("files-never-existed/deeper/still");

        assertThat(workspace().exists("files-never-existed")).isFalse();
    }

    @Test
    default void theWorkingDirectoryItselfIsNeverDeleted() {
        Workspace ws = workspace();
        ws.shell("mkdir files-keep && printf kept > files-keep/kept.txt");

        for (String path : new String[] {".", "", "files-keep/..", ws.workingDir()}) {
            assertThatThrownBy(() -> ws.delete(path)).as("delete('%s')", path)
                    .hasMessageContaining("working directory");
        }

        assertThat(ws.readString("files-keep/kept.txt")).isEqualTo("kept");
    }
}
