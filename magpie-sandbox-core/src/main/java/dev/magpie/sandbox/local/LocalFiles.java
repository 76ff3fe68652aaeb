package dev.magpie.sandbox.local;

import dev.magpie.sandbox.PathOutsideWorkspaceException;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.TreeDeleter;
import dev.magpie.sandbox.internal.files.OutsideRootException;
import dev.magpie.sandbox.internal.files.SafeRoot;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.ClosedDirectoryStreamException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;

/**
 * File operations of a local workspace on paths already checked lexically to lie inside it. They go through a
 * {@link SafeRoot} opened on the workspace directory once: each path is resolved from that open directory one
 * component at a time without letting the system follow a link, so the workspace's own processes cannot redirect
 * them outside by swapping directories for symlinks meanwhile. A symlink leading inside is followed; one leading
 * outside is refused with {@link PathOutsideWorkspaceException}.
 */
final class LocalFiles implements AutoCloseable {

    private final Path root;
    private final SafeRoot safe;

    private LocalFiles(Path root, SafeRoot safe) {
        this.root = root;
        this.safe = safe;
    }

    /** Opens the workspace directory, by its real path. */
    static LocalFiles open(Path realRoot) {
        try {
            return new LocalFiles(realRoot, SafeRoot.open(realRoot));
        } catch (IOException e) {
            throw new WorkspaceException("Could not open " + realRoot + " for file operations: " + e.getMessage()
                    + ".", e);
        }
    }

    byte[] read(String absolute) {
        String path = relative(absolute);
        try {
            return safe.read(path);
        } catch (NoSuchFileException e) {
            throw new WorkspaceException("No file at '" + path + "' in " + root + ".", e);
        } catch (IOException | ClosedDirectoryStreamException e) {
            throw failure("read", path, e);
        }
    }

    /** Writes to a temporary sibling, then renames it over the target: readers see the old or the new file. */
    void write(String absolute, byte[] content) {
        String path = relative(absolute);
        try {
            safe.write(path, content);
        } catch (FileSystemException e) {
            if ("is a directory".equals(e.getReason())) {
                throw new WorkspaceException("Cannot write '" + path + "' in " + root
                        + ": it is a directory. Delete it first or write to a file inside it.", e);
            }
            throw failure("write", path, e);
        } catch (IOException | ClosedDirectoryStreamException e) {
            throw failure("write", path, e);
        }
    }

    boolean exists(String absolute) {
        String path = relative(absolute);
        try {
            return safe.exists(path);
        } catch (IOException | ClosedDirectoryStreamException e) {
            throw failure("look at", path, e);
        }
    }

    /** Whether the path is a directory, a symlink leading inside followed. */
    boolean isDirectory(String absolute) {
        String path = relative(absolute);
        try {
            return safe.attributes(path).isDirectory();
        } catch (NoSuchFileException | NotDirectoryException e) {
            return false;
        } catch (IOException | ClosedDirectoryStreamException e) {
            throw failure("look at", path, e);
        }
    }

    List<String> list(String absolute) {
        String path = relative(absolute);
        try {
            return safe.list(path);
        } catch (NoSuchFileException e) {
            throw new WorkspaceException("No directory at '" + path + "' in " + root + ".", e);
        } catch (NotDirectoryException e) {
            throw new WorkspaceException("'" + path + "' in " + root + " is a file, not a directory.", e);
        } catch (IOException | ClosedDirectoryStreamException e) {
            throw failure("list", path, e);
        }
    }

    /** Deletes a file, a symlink (never its target) or a whole tree; a missing path is fine. */
    void delete(String absolute) {
        String path = relative(absolute);
        try {
            TreeDeleter.check(root, safe.deleteTree(path));
        } catch (NoSuchFileException | NotDirectoryException e) {
            // nothing there: nothing to do
        } catch (IOException | ClosedDirectoryStreamException e) {
            throw failure("delete", path, e);
        }
    }

    @Override
    public void close() {
        try {
            safe.close();
        } catch (IOException e) {
            // Nothing was written through the directory handle itself: closing it cannot lose data.
        }
    }

    private WorkspaceException failure(String action, String path, Exception e) {
        if (e instanceof OutsideRootException) {
            return new PathOutsideWorkspaceException(path, root.toString(), ((OutsideRootException) e).reason());
        }
        if (e instanceof ClosedDirectoryStreamException) {
            return new WorkspaceException("Could not " + action + " '" + path + "' in " + root
                    + ": the workspace was destroyed meanwhile.", e);
        }
        String why = e instanceof AccessDeniedException ? "permission denied" : e.toString();
        return new WorkspaceException("Could not " + action + " '" + path + "' in " + root + ": " + why + ".", e);
    }

    /** The path relative to the root ({@code ""} for the root), of an absolute path lexically inside it. */
    private String relative(String absolute) {
        return root.relativize(Path.of(absolute)).toString();
    }
}
