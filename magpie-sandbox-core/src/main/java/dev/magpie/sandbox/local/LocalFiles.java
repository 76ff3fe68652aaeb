package dev.magpie.sandbox.local;

import dev.magpie.sandbox.WorkspaceException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** File operations of a local workspace on paths already checked to lie inside it. */
final class LocalFiles {

    /** What a new file gets, as with a usual umask of 022. */
    private static final Set<PosixFilePermission> NEW_FILE = PosixFilePermissions.fromString("rw-r--r--");

    private final Path root;

    LocalFiles(Path root) {
        this.root = root;
    }

    byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new WorkspaceException("No file at '" + relative(path) + "' in " + root + ".", e);
        } catch (IOException e) {
            throw failure("read", path, e);
        }
    }

    /** Writes to a temporary sibling, then renames it over the target: readers see the old or the new file. */
    void write(Path target, byte[] content) {
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new WorkspaceException("Cannot write '" + relative(target) + "' in " + root
                    + ": it is a directory. Delete it first or write to a file inside it.");
        }
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".magpie-tmp");
            Files.write(temp, content);
            keepPermissions(target, temp);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            temp = null;
        } catch (IOException e) {
            throw failure("write", target, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    // Reported by the write failure already under way.
                }
            }
        }
    }

    List<String> list(Path directory) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            entries.forEach(entry -> names.add(entry.getFileName().toString()));
        } catch (NoSuchFileException e) {
            throw new WorkspaceException("No directory at '" + relative(directory) + "' in " + root + ".", e);
        } catch (NotDirectoryException e) {
            throw new WorkspaceException("'" + relative(directory) + "' in " + root + " is a file, not a directory.", e);
        } catch (IOException e) {
            throw failure("list", directory, e);
        }
        names.sort(null);
        return names;
    }

    /** A replaced file keeps its mode (an executable script stays executable); a new one gets rw-r--r--. */
    private static void keepPermissions(Path target, Path temp) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.exists(target)
                ? Files.getPosixFilePermissions(target) : NEW_FILE;
        view.setPermissions(permissions);
    }

    private WorkspaceException failure(String action, Path path, IOException e) {
        String why = e instanceof AccessDeniedException ? "permission denied" : e.toString();
        return new WorkspaceException("Could not " + action + " '" + relative(path) + "' in " + root + ": " + why
                + ".", e);
    }

    private String relative(Path path) {
        return root.relativize(path).toString();
    }
}
