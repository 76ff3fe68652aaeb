package dev.magpie.sandbox.internal.files;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Deletes a tree without ever following a symlink, whatever the tree's own processes do meanwhile: every step is
 * taken relative to an open directory ({@link SecureDirectoryStream}), so an entry swapped for a link after it was
 * looked at is unlinked, never entered. Directories the owner may not write or enter are made writable first,
 * through the open parent and never through a link. What could not be deleted is returned, never silently left.
 */
public final class SafeTrees {

    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final Set<PosixFilePermission> OWNER_ALL = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    /** How often an entry that changes type under the deleter is looked at again before it is reported. */
    private static final int ATTEMPTS = 5;

    private SafeTrees() {
    }

    /**
     * Deletes {@code path} and everything below it; a missing path is fine, a link is removed and never its target.
     * The path's parent directories are trusted: they are the caller's, not the tree's.
     *
     * @return each path left behind, with the reason: empty when all is gone
     */
    public static List<String> delete(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        List<String> failures = new ArrayList<>();
        if (parent == null) {
            failures.add(absolute + " (the filesystem root is never deleted)");
            return failures;
        }
        try (SecureDirectoryStream<Path> dir = Dirs.open(parent)) {
            delete(dir, absolute.getFileName(), absolute, failures);
        } catch (NoSuchFileException e) {
            return failures;
        } catch (IOException e) {
            failures.add(absolute + " (cannot open its parent: " + e.getMessage() + ")");
        }
        return failures;
    }

    /** Deletes the entry {@code name} of {@code parent} and everything below it; {@code shown} names it in reports. */
    public static List<String> delete(SecureDirectoryStream<Path> parent, Path name, Path shown) {
        List<String> failures = new ArrayList<>();
        delete(parent, name, shown, failures);
        return failures;
    }

    private static void delete(SecureDirectoryStream<Path> parent, Path name, Path shown, List<String> failures) {
        IOException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                BasicFileAttributes attributes = parent.getFileAttributeView(name, BasicFileAttributeView.class,
                        NO_FOLLOW).readAttributes();
                if (!attributes.isDirectory()) {
                    parent.deleteFile(name);
                    return;
                }
                makeEnterable(parent, name);
                try (SecureDirectoryStream<Path> dir = parent.newDirectoryStream(name, NO_FOLLOW)) {
                    if (!deleteChildren(dir, shown, failures)) {
                        return;
                    }
                }
                parent.deleteDirectory(name);
                return;
            } catch (NoSuchFileException e) {
                return;
            } catch (DirectoryNotEmptyException e) {
                failures.add(shown + " (not empty: " + e.getClass().getSimpleName() + ")");
                return;
            } catch (IOException e) {
                // Swapped for another kind of entry since it was looked at (a link, a file): look again.
                last = e;
            }
        }
        failures.add(shown + " (" + last.getClass().getSimpleName() + ": " + last.getMessage() + ")");
    }

    /** Deletes the entries of an open directory; false when it could not be listed (then it is reported). */
    private static boolean deleteChildren(SecureDirectoryStream<Path> dir, Path shown, List<String> failures) {
        try {
            for (Path child : dir) {
                delete(dir, child.getFileName(), shown.resolve(child.getFileName().toString()), failures);
            }
            return true;
        } catch (DirectoryIteratorException e) {
            failures.add(shown + " (cannot list: " + e.getCause().getMessage() + ")");
            return false;
        }
    }

    /** Gives the owner rwx on a directory that lacks it, through the open parent, never following a link. */
    private static void makeEnterable(SecureDirectoryStream<Path> parent, Path name) {
        PosixFileAttributeView view = parent.getFileAttributeView(name, PosixFileAttributeView.class, NO_FOLLOW);
        if (view == null) {
            return;
        }
        try {
            Set<PosixFilePermission> permissions = view.readAttributes().permissions();
            if (!permissions.containsAll(OWNER_ALL)) {
                permissions.addAll(OWNER_ALL);
                view.setPermissions(permissions);
            }
        } catch (IOException e) {
            // Not ours to change, or no longer a directory: opening or deleting it reports the path.
        }
    }
}
