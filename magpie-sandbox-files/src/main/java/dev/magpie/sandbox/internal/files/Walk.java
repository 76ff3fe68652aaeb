package dev.magpie.sandbox.internal.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves a path inside an open root one component at a time, each directory opened relative to the previous one
 * without following a link. A symlink met on the way is resolved here, never by the system: its text is read, and
 * its target walked the same way from the root when it stays inside, refused otherwise. So whatever the root's own
 * processes swap meanwhile, every step lands inside the root.
 */
final class Walk {

    /** What to do with the last component of a path. */
    enum Last {
        /** Follow it when it is a symlink that leads inside (read, list, exists). */
        FOLLOW,
        /** Keep it as it is, a symlink included, after checking that a symlink leads inside (write, delete). */
        ENTRY
    }

    private static final int MAX_LINKS = 40;
    /** How often a component that changes type under the walk is looked at again. */
    private static final int MAX_RETRIES = 20;

    private final SecureDirectoryStream<Path> root;
    private final Path rootPath;

    Walk(SecureDirectoryStream<Path> root, Path rootPath) {
        this.root = root;
        this.rootPath = rootPath;
    }

    /**
     * Where a path ends: the open directory holding its last component, that name (null: the directory itself),
     * and what the name was when looked at (null: nothing). Operations on it still go through the open directory
     * without following links, so a swap since then cannot lead them outside.
     */
    final class Entry implements AutoCloseable {
        final SecureDirectoryStream<Path> dir;
        final String name;
        final PosixFileAttributes attributes;
        final List<String> at;

        Entry(SecureDirectoryStream<Path> dir, String name, PosixFileAttributes attributes, List<String> at) {
            this.dir = dir;
            this.name = name;
            this.attributes = attributes;
            this.at = List.copyOf(at);
        }

        /** The entry's path relative to the root, as resolved. */
        String shown() {
            String parent = String.join("/", at);
            return name == null ? (parent.isEmpty() ? "." : parent) : parent.isEmpty() ? name : parent + "/" + name;
        }

        @Override
        public void close() throws IOException {
            if (dir != root) {
                dir.close();
            }
        }
    }

    /**
     * Resolves {@code path} (relative to the root, {@code /}-separated).
     *
     * @param createParents whether missing directories on the way are created
     * @throws OutsideRootException when a symlink on the way leads outside the root
     * @throws NoSuchFileException when a directory on the way is missing
     * @throws NotDirectoryException when something on the way is not a directory
     */
    Entry resolve(String path, Last last, boolean createParents) throws IOException {
        Deque<String> pending = new ArrayDeque<>(parts(path));
        List<String> at = new ArrayList<>();
        SecureDirectoryStream<Path> dir = root;
        int links = 0;
        int retries = 0;
        try {
            while (!pending.isEmpty()) {
                String part = pending.removeFirst();
                if (part.equals("..")) {
                    if (at.isEmpty()) {
                        throw new OutsideRootException(path, "leads through a symlink above " + rootPath);
                    }
                    at.remove(at.size() - 1);
                    dir = reopen(dir, at);
                    continue;
                }
                boolean isLast = pending.isEmpty();
                PosixFileAttributes attributes = null;
                if (!isLast) {
                    // The common case costs one call: open it as a directory, never through a link.
                    try {
                        SecureDirectoryStream<Path> next = dir.newDirectoryStream(Path.of(part),
                                LinkOption.NOFOLLOW_LINKS);
                        close(dir);
                        dir = next;
                        at.add(part);
                        continue;
                    } catch (IOException e) {
                        attributes = attributesOrNull(dir, part);
                        if (attributes != null && attributes.isDirectory() && ++retries > MAX_RETRIES) {
                            throw e; // a directory that cannot be opened: no permission, or swapped without end
                        }
                    }
                } else {
                    attributes = attributesOrNull(dir, part);
                }
                if (attributes != null && attributes.isSymbolicLink()) {
                    if (++links > MAX_LINKS) {
                        throw new OutsideRootException(path, "goes through more than " + MAX_LINKS + " symlinks");
                    }
                    List<String> target = target(path, at, part);
                    if (isLast && last == Last.ENTRY) {
                        check(target);
                        return new Entry(dir, part, attributes, at);
                    }
                    for (int i = target.size() - 1; i >= 0; i--) {
                        pending.addFirst(target.get(i));
                    }
                    // The target's components start from the root: walk them from there.
                    at.clear();
                    dir = reopen(dir, at);
                } else if (isLast) {
                    return new Entry(dir, part, attributes, at);
                } else if (attributes == null && createParents) {
                    if (++retries > MAX_RETRIES) {
                        throw new FileSystemException(join(at, part), null, "keeps vanishing while it is created");
                    }
                    try {
                        Dirs.createDirectory(dir, part);
                    } catch (FileAlreadyExistsException e) {
                        // made meanwhile: opened like any directory
                    }
                    pending.addFirst(part);
                } else if (attributes == null) {
                    throw new NoSuchFileException(join(at, part));
                } else if (!attributes.isDirectory()) {
                    throw new NotDirectoryException(join(at, part));
                } else {
                    // a directory again, swapped back since the open failed: try again
                    pending.addFirst(part);
                }
            }
            return new Entry(dir, null, null, at);
        } catch (IOException | RuntimeException e) {
            close(dir);
            throw e;
        }
    }

    /** Walks a symlink's target to check that it stays inside; a missing end is fine. */
    private void check(List<String> target) throws IOException {
        try {
            resolve(String.join("/", target), Last.FOLLOW, false).close();
        } catch (NoSuchFileException | NotDirectoryException e) {
            // dangling inside: writing or deleting the link itself is fine
        }
    }

    /**
     * The components, from the root, of where the link {@code at/name} points. Its text is read by path: should a
     * swap make that read another link, the text is still only walked from the root, so it cannot lead out.
     */
    private List<String> target(String path, List<String> at, String name) throws IOException {
        Path text = Files.readSymbolicLink(rootPath.resolve(join(at, name)));
        if (!text.isAbsolute()) {
            List<String> out = new ArrayList<>(at);
            out.addAll(parts(text.toString()));
            return out;
        }
        Path absolute = text.normalize();
        if (!absolute.startsWith(rootPath)) {
            throw new OutsideRootException(path, "leads through the symlink '" + join(at, name) + "' to " + absolute);
        }
        return parts(rootPath.relativize(absolute).toString());
    }

    /** Opens the directory at {@code at} from the root again, without following links, closing {@code current}. */
    private SecureDirectoryStream<Path> reopen(SecureDirectoryStream<Path> current, List<String> at)
            throws IOException {
        close(current);
        SecureDirectoryStream<Path> dir = root;
        try {
            for (String part : at) {
                SecureDirectoryStream<Path> next = dir.newDirectoryStream(Path.of(part), LinkOption.NOFOLLOW_LINKS);
                close(dir);
                dir = next;
            }
            return dir;
        } catch (IOException e) {
            close(dir);
            throw e;
        }
    }

    private static PosixFileAttributes attributesOrNull(SecureDirectoryStream<Path> dir, String name) throws IOException {
        try {
            return dir.getFileAttributeView(Path.of(name), PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .readAttributes();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private void close(SecureDirectoryStream<Path> dir) throws IOException {
        if (dir != root) {
            dir.close();
        }
    }

    /** The components of a relative path, without empty ones and {@code .}. */
    static List<String> parts(String path) {
        List<String> out = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty() && !part.equals(".")) {
                out.add(part);
            }
        }
        return out;
    }

    private static String join(List<String> at, String name) {
        return at.isEmpty() ? name : String.join("/", at) + "/" + name;
    }
}
