package dev.magpie.sandbox.local;

import dev.magpie.sandbox.WorkspaceException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Deletes a tree without ever following a symlink: a link is removed, never its target. Directories the owner may
 * not write or enter (read-only checkouts, {@code chmod -R a-w}) are made writable first. Whatever could not be
 * deleted is reported in one exception listing the paths, never silently left behind.
 */
final class TreeDeleter {

    private static final int LISTED = 20;
    private static final Set<PosixFilePermission> OWNER_ALL = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private TreeDeleter() {
    }

    /** Deletes {@code root} and everything below it; a missing root is fine. */
    static void delete(Path root) {
        List<String> failures = new ArrayList<>();
        delete(root, failures);
        if (!failures.isEmpty()) {
            List<String> shown = failures.subList(0, Math.min(LISTED, failures.size()));
            throw new WorkspaceException("Could not delete " + failures.size() + " path(s) under " + root + ": "
                    + String.join("; ", shown) + (failures.size() > LISTED ? "; ..." : "")
                    + ". Check their permissions or whether a process still uses them, then delete them by hand.");
        }
    }

    private static void delete(Path path, List<String> failures) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            failures.add(path + " (" + e.getMessage() + ")");
            return;
        }
        if (attributes.isDirectory()) {
            makeEnterable(path);
            try (DirectoryStream<Path> children = Files.newDirectoryStream(path)) {
                for (Path child : children) {
                    delete(child, failures);
                }
            } catch (NoSuchFileException e) {
                return;
            } catch (IOException e) {
                failures.add(path + " (cannot list: " + e.getMessage() + ")");
                return;
            }
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            failures.add(path + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }

    /** Gives the owner rwx on a directory that lacks it, so its entries can be listed and unlinked. */
    private static void makeEnterable(Path directory) {
        PosixFileAttributeView view = Files.getFileAttributeView(directory, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            directory.toFile().setWritable(true);
            return;
        }
        try {
            PosixFileAttributes attributes = view.readAttributes();
            Set<PosixFilePermission> permissions = attributes.permissions();
            if (!permissions.containsAll(OWNER_ALL)) {
                permissions.addAll(OWNER_ALL);
                view.setPermissions(permissions);
            }
        } catch (IOException e) {
            // Not ours to change: listing or deleting below will report the path.
        }
    }
}
