package dev.magpie.sandbox.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.PathOutsideWorkspaceException;
import dev.magpie.sandbox.Workspace;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A path that leaves the working directory is refused by every operation and nothing outside is touched. The
 * directory outside is made by a command in the workspace ({@code mktemp -d}), so the suite needs no access to the
 * workspace's machine.
 */
public interface PathContract extends ConformanceFixture {

    @Test
    default void pathsThatLeaveLexicallyOrHoldNulAreRefusedByEveryOperation() {
        assumeFollows(Difference.NO_SHARED_OUTSIDE);
        Workspace ws = workspace();
        String outside = makeOutside(ws);
        try {
            for (String path : List.of("../escape.txt", "paths-lexical/../../escape.txt", outside + "/secret.txt",
                    outside + "/new.txt", "/etc/passwd", "nul\0byte", "paths-lexical/nul\0")) {
                assertRefusedEverywhere(ws, path);
            }
            assertUntouched(ws, outside);
        } finally {
            ws.exec("rm", "-rf", outside);
        }
    }

    @Test
    default void pathsThatStayInsideAreAccepted() {
        Workspace ws = workspace();

        ws.writeString("paths-inside/a/keep.txt", "a");
        ws.writeString("paths-inside/a/../b.txt", "b");
        ws.writeString("./paths-inside/./c.txt", "c");

        assertThat(ws.readString(ws.workingDir() + "/paths-inside/b.txt")).isEqualTo("b");
        assertThat(ws.list("paths-inside/a/..")).containsExactly("a", "b.txt", "c.txt");
        assertThat(ws.exists("paths-inside//c.txt")).isTrue();
    }

    @Test
    default void symlinksPointingOutAreRefusedAndTheirTargetsNeverTouched() {
        assumeFollows(Difference.NO_SHARED_OUTSIDE);
        Workspace ws = workspace();
        String outside = makeOutside(ws);
        try {
            assertThat(ws.exec("sh", "-c", "mkdir -p paths-links/real && echo inside > paths-links/real/f.txt"
                    + " && cd paths-links && ln -s \"$1\" dir && ln -s \"$1/secret.txt\" file"
                    + " && ln -s \"$1/new.txt\" dangling && ln -s ../.. up && ln -s real inner", "sh", outside)
                    .exitCode()).isZero();

            for (String path : List.of("paths-links/dir/secret.txt", "paths-links/up/escape.txt")) {
                assertRefusedEverywhere(ws, path);
            }
            for (String link : List.of("paths-links/file", "paths-links/dangling")) {
                assertThatThrownBy(() -> ws.readFile(link)).as("readFile('%s')", link)
                        .isInstanceOf(PathOutsideWorkspaceException.class);
                assertThatThrownBy(() -> ws.writeString(link, "x")).as("writeString('%s')", link)
                        .isInstanceOf(PathOutsideWorkspaceException.class);
            }
            assertThatThrownBy(() -> ws.list("paths-links/dir")).isInstanceOf(PathOutsideWorkspaceException.class);
            assertThatThrownBy(() -> ws.list("paths-links/up")).isInstanceOf(PathOutsideWorkspaceException.class);
            assertThatThrownBy(() -> ws.exec(ExecRequest.builder("pwd").subdirectory("paths-links/dir").build()))
                    .isInstanceOf(PathOutsideWorkspaceException.class);

            assertThat(ws.readString("paths-links/inner/f.txt")).as("a link that stays inside").isEqualTo("inside\n");
            ws.writeString("paths-links/inner/g.txt", "via the link");
            assertThat(ws.readString("paths-links/real/g.txt")).isEqualTo("via the link");
            ws.delete("paths-links/inner");
            assertThat(ws.list("paths-links")).as("deleting a link removes the link, not its target")
                    .containsExactly("dangling", "dir", "file", "real", "up");
            assertThat(ws.list("paths-links/real")).containsExactly("f.txt", "g.txt");
            assertUntouched(ws, outside);
        } finally {
            ws.exec("rm", "-rf", outside, "paths-links");
        }
    }

    private static void assertRefusedEverywhere(Workspace ws, String path) {
        List<Consumer<String>> operations = List.of(ws::readFile, p -> ws.writeString(p, "x"), ws::exists,
                ws::list, ws::delete, p -> ws.exec(ExecRequest.builder("pwd").subdirectory(p).build()));
        List<String> names = List.of("readFile", "writeString", "exists", "list", "delete", "exec in subdirectory");
        for (int i = 0; i < operations.size(); i++) {
            Consumer<String> operation = operations.get(i);
            assertThatThrownBy(() -> operation.accept(path)).as("%s('%s')", names.get(i), path.replace("\0", "\\0"))
                    .isInstanceOf(PathOutsideWorkspaceException.class);
        }
    }

    /** A directory outside the working directory holding only {@code secret.txt}. */
    private static String makeOutside(Workspace ws) {
        String outside = ws.shell("d=$(mktemp -d) && printf secret > \"$d/secret.txt\" && printf %s \"$d\"").stdout();
        assertThat(outside).as("a directory made by mktemp -d").startsWith("/");
        assertThat(outside).as("mktemp -d made it outside the working directory")
                .doesNotStartWith(ws.workingDir() + "/");
        return outside;
    }

    private static void assertUntouched(Workspace ws, String outside) {
        assertThat(ws.exec("sh", "-c", "ls -A \"$1\" && cat \"$1/secret.txt\"", "sh", outside).stdout())
                .as("what is outside, after the refusals").isEqualTo("secret.txt\nsecret");
    }
}
