package dev.magpie.sandbox.local;

import dev.magpie.sandbox.WorkspaceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What identifies a directory's content for a prepared workspace: every entry's relative path, type, size,
 * executable bit and modification time (as build tools judge freshness), links not followed. Cheap: no file is read.
 */
final class DirectoryDigest {

    private DirectoryDigest() {
    }

    static String of(Path root) {
        if (!Files.isDirectory(root)) {
            throw new WorkspaceException("Expected an existing directory to prepare a workspace from, but " + root
                    + (Files.exists(root) ? " is not a directory" : " does not exist") + ".");
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    add(dir, attributes);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    add(file, attributes);
                    return FileVisitResult.CONTINUE;
                }

                private void add(Path entry, BasicFileAttributes attributes) {
                    String line = root.relativize(entry) + "\0" + (attributes.isDirectory() ? 'd'
                            : attributes.isSymbolicLink() ? 'l' : 'f') + attributes.size() + "\0"
                            + attributes.lastModifiedTime().toMillis() + "\0" + Files.isExecutable(entry) + "\n";
                    digest.update(line.getBytes(StandardCharsets.UTF_8));
                }
            });
            return HexFormat.of().formatHex(digest.digest(), 0, 12);
        } catch (IOException e) {
            throw new WorkspaceException("Could not read the directory " + root + " to prepare a workspace from it: "
                    + e + ". Check that it is readable.", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
