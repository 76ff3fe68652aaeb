package dev.magpie.sandbox.internal.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules of a {@link SafeRoot}, on the JDK's {@code SecureDirectoryStream} and on the by-path stand-in used
 * where the JDK has none.
 */
class SafeRootTest {

    interface Opener {
        SafeRoot open(Path directory) throws Exception;
    }

    static Stream<Opener> streams() {
        return Stream.of(SafeRoot::open, dir -> new SafeRoot(dir, new PathDirectoryStream(dir)));
    }

    @TempDir
    Path base;

    Path inside;
    Path outside;

    @BeforeEach
    void setUp() throws Exception {
        inside = Files.createDirectories(base.resolve("inside")).toRealPath();
        outside = Files.createDirectories(base.resolve("outside")).toRealPath();
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createDirectories(inside.resolve("real/deep"));
        Files.writeString(inside.resolve("real/deep/file.txt"), "deep");
        Files.createSymbolicLink(inside.resolve("rel-link"), Path.of("real"));
        Files.createSymbolicLink(inside.resolve("abs-link"), inside.resolve("real/deep"));
        Files.createSymbolicLink(inside.resolve("real/up"), Path.of("../real/deep/file.txt"));
        Files.createSymbolicLink(inside.resolve("out"), outside);
        Files.createSymbolicLink(inside.resolve("climb"), Path.of("real/../../outside"));
        Files.createSymbolicLink(inside.resolve("loop-a"), Path.of("loop-b"));
        Files.createSymbolicLink(inside.resolve("loop-b"), Path.of("loop-a"));
    }

    @ParameterizedTest
    @MethodSource("streams")
    void followsLinksThatStayInside(Opener opener) throws Exception {
        try (SafeRoot root = opener.open(inside)) {
            assertThat(text(root.read("rel-link/deep/file.txt"))).isEqualTo("deep");
            assertThat(text(root.read("abs-link/file.txt"))).isEqualTo("deep");
            assertThat(text(root.read("real/up"))).isEqualTo("deep");
            assertThat(root.list("rel-link")).containsExactly("deep", "up");
            root.write("rel-link/new/made.txt", "made".getBytes(StandardCharsets.UTF_8));
            assertThat(inside.resolve("real/new/made.txt")).hasContent("made");
            assertThat(root.exists("abs-link/missing")).isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("streams")
    void refusesLinksLeadingOutsideOrRoundInCircles(Opener opener) throws Exception {
        try (SafeRoot root = opener.open(inside)) {
            for (String path : new String[] {"out/secret.txt", "out", "climb/secret.txt", "loop-a/x"}) {
                assertThatThrownBy(() -> root.read(path)).as(path).isInstanceOf(OutsideRootException.class);
                assertThatThrownBy(() -> root.write(path + "/new", new byte[1])).as(path)
                        .isInstanceOf(OutsideRootException.class);
                assertThatThrownBy(() -> root.exists(path)).as(path).isInstanceOf(OutsideRootException.class);
            }
            assertThatThrownBy(() -> root.list("out")).isInstanceOf(OutsideRootException.class)
                    .hasMessageContaining("symlink 'out'").hasMessageContaining(outside.toString());
            assertThatThrownBy(() -> root.deleteTree("out")).isInstanceOf(OutsideRootException.class);
            assertThatThrownBy(() -> root.createDirectories("out/made")).isInstanceOf(OutsideRootException.class);
        }
        assertThat(outside.resolve("secret.txt")).hasContent("secret");
        try (Stream<Path> entries = Files.list(outside)) {
            assertThat(entries).containsExactly(outside.resolve("secret.txt"));
        }
    }

    @ParameterizedTest
    @MethodSource("streams")
    void writesReplaceAtomicallyKeepingTheModeAndALinkInTheWayIsReplaced(Opener opener) throws Exception {
        try (SafeRoot root = opener.open(inside)) {
            root.write("run.sh", "one".getBytes(StandardCharsets.UTF_8));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(inside.resolve("run.sh"))))
                    .isEqualTo("rw-r--r--");
            Files.setPosixFilePermissions(inside.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
            root.write("run.sh", "two".getBytes(StandardCharsets.UTF_8));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(inside.resolve("run.sh"))))
                    .isEqualTo("rwxr-x---");
            root.write("real/up", "replaced".getBytes(StandardCharsets.UTF_8));
            assertThat(Files.isSymbolicLink(inside.resolve("real/up"))).isFalse();
            assertThat(inside.resolve("real/deep/file.txt")).hasContent("deep");
            assertThatThrownBy(() -> root.write("real", new byte[1])).isInstanceOf(FileSystemException.class)
                    .hasMessageContaining("is a directory");
            assertThat(root.list("")).doesNotContain(".run.sh.magpie-tmp").allMatch(n -> !n.endsWith(".magpie-tmp"));
        }
    }

    @ParameterizedTest
    @MethodSource("streams")
    void deletesReadOnlyTreesAndLinksWithoutTheirTargets(Opener opener) throws Exception {
        Files.createSymbolicLink(inside.resolve("real/deep/to-outside"), outside);
        Files.setPosixFilePermissions(inside.resolve("real/deep"), PosixFilePermissions.fromString("r-x------"));
        Files.setPosixFilePermissions(inside.resolve("real"), PosixFilePermissions.fromString("---------"));
        try (SafeRoot root = opener.open(inside)) {
            assertThat(root.deleteTree("real")).isEmpty();
            assertThat(inside.resolve("real")).doesNotExist();
            assertThat(root.deleteTree("rel-link")).isEmpty();
            assertThat(inside.resolve("rel-link")).doesNotExist();
            assertThatThrownBy(() -> root.deleteTree("real")).isInstanceOf(NoSuchFileException.class);
        }
        assertThat(outside.resolve("secret.txt")).hasContent("secret");
    }

    @ParameterizedTest
    @MethodSource("streams")
    void movesWithoutReplacingAndChangesModesOnlyInside(Opener opener) throws Exception {
        try (SafeRoot root = opener.open(inside)) {
            root.move("real/deep", "moved");
            assertThat(inside.resolve("moved/file.txt")).hasContent("deep");
            root.write("taken", new byte[1]);
            assertThatThrownBy(() -> root.move("moved", "taken")).isInstanceOf(FileAlreadyExistsException.class);
            assertThatThrownBy(() -> root.move("moved", "out/moved")).isInstanceOf(OutsideRootException.class);
            assertThatThrownBy(() -> root.move("missing", "elsewhere")).isInstanceOf(NoSuchFileException.class);

            root.setPermissions("moved/file.txt", PosixFilePermissions.fromString("rwx------"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(inside.resolve("moved/file.txt"))))
                    .isEqualTo("rwx------");
            var all = PosixFilePermissions.fromString("rwxrwxrwx");
            assertThatThrownBy(() -> root.setPermissions("out/secret.txt", all))
                    .isInstanceOf(OutsideRootException.class);
            assertThatThrownBy(() -> root.setOwner("out", null, null)).isInstanceOf(OutsideRootException.class);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(outside.resolve("secret.txt"))))
                .isEqualTo("rw-r--r--");
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
