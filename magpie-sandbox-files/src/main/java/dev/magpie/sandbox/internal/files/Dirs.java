package dev.magpie.sandbox.internal.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;

/** Opening directories as {@link SecureDirectoryStream}s, and what the JDK offers no call for. */
final class Dirs {

    private static final Path PROC_FDS = Path.of("/proc/self/fd");

    private Dirs() {
    }

    /**
     * Opens a directory by a trusted path (links in it are followed), for operations relative to it; where the JDK
     * offers no {@link SecureDirectoryStream}, the same operations by path ({@link PathDirectoryStream}).
     */
    static SecureDirectoryStream<Path> open(Path directory) throws IOException {
        DirectoryStream<Path> stream = Files.newDirectoryStream(directory);
        if (stream instanceof SecureDirectoryStream) {
            return (SecureDirectoryStream<Path>) stream;
        }
        stream.close();
        return new PathDirectoryStream(directory);
    }

    /**
     * Creates the directory {@code name} in an open directory. The JDK has no {@code mkdirat}, so this goes through
     * the {@code /proc/self/fd} entry of the open directory, which names that very directory whatever happened to
     * its path since it was opened; a link already at {@code name} makes it fail, never followed.
     */
    static void createDirectory(SecureDirectoryStream<Path> dir, String name) throws IOException {
        if (dir instanceof PathDirectoryStream) {
            Files.createDirectory(((PathDirectoryStream) dir).directory().resolve(name));
            return;
        }
        Object key = dir.getFileAttributeView(BasicFileAttributeView.class).readAttributes().fileKey();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC_FDS)) {
            for (Path fd : fds) {
                BasicFileAttributes target;
                try {
                    target = Files.readAttributes(fd, BasicFileAttributes.class);
                } catch (IOException e) {
                    continue; // closed meanwhile, or not a file
                }
                if (target.isDirectory() && key != null && key.equals(target.fileKey())) {
                    Files.createDirectory(fd.resolve(name));
                    return;
                }
            }
        }
        throw new IOException("cannot find the open directory in " + PROC_FDS + " to create " + name + " in it");
    }
}
