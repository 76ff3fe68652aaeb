package dev.magpie.sandbox.internal.files;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A directory opened once, whose files are read and written by paths relative to it, each resolved one component
 * at a time from that open directory without letting the system follow a link (see {@link Walk}). Processes that
 * rename the directory, or swap what is inside it for symlinks while a call runs, cannot make a call touch anything
 * outside: a symlink that leads inside is followed, one that leads outside is refused with
 * {@link OutsideRootException}. Paths are {@code /}-separated, relative, already free of {@code ..}. Thread-safe;
 * {@link #close()} releases the directory.
 */
public final class SafeRoot implements AutoCloseable {

    /** What a new file gets, as with a usual umask of 022. */
    private static final Set<PosixFilePermission> NEW_FILE = PosixFilePermissions.fromString("rw-r--r--");
    private static final LinkOption NO_FOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Path path;
    private final SecureDirectoryStream<Path> root;
    private final Walk walk;

    SafeRoot(Path path, SecureDirectoryStream<Path> root) {
        this.path = path;
        this.root = root;
        this.walk = new Walk(root, path);
    }

    /** Opens a directory, by its real path (absolute symlinks pointing inside it are recognised by that path). */
    public static SafeRoot open(Path realDirectory) throws IOException {
        return new SafeRoot(realDirectory, Dirs.open(realDirectory));
    }

    /** The path the directory was opened by. */
    public Path path() {
        return path;
    }

    /** The whole content of a file; a symlink to a file inside is followed. */
    public byte[] read(String relative) throws IOException {
        try (SeekableByteChannel channel = openRead(relative)) {
            return readAll(channel);
        }
    }

    /** Opens a regular file for reading, for a caller that streams it; the caller closes the channel. */
    public SeekableByteChannel openRead(String relative) throws IOException {
        try (Walk.Entry entry = walk.resolve(relative, Walk.Last.FOLLOW, false)) {
            if (entry.name != null && entry.attributes == null) {
                throw new NoSuchFileException(entry.shown());
            }
            if (entry.name == null || entry.attributes.isDirectory()) {
                throw new FileSystemException(entry.shown(), null, "is a directory");
            }
            // the channel is a descriptor of its own: it stays open after the directory of the walk is closed
            return entry.dir.newByteChannel(Path.of(entry.name), Set.of(StandardOpenOption.READ, NO_FOLLOW));
        }
    }

    /**
     * Writes a whole file through a temporary sibling renamed over it, creating missing parent directories: a
     * reader sees the old file or the new one, and a failed write leaves neither the temporary file nor half a file.
     * A replaced file keeps its mode, a new one gets {@code rw-r--r--}; a symlink in the file's place is replaced.
     */
    public void write(String relative, byte[] content) throws IOException {
        write(relative, ByteBuffer.wrap(content));
    }

    /** As {@link #write(String, byte[])}, from a buffer (a mapped file, say) that is read from its position. */
    public void write(String relative, ByteBuffer content) throws IOException {
        try (Walk.Entry entry = walk.resolve(relative, Walk.Last.ENTRY, true)) {
            PosixFileAttributes existing = entry.attributes;
            if (entry.name == null || existing != null && existing.isDirectory()) {
                throw new FileSystemException(entry.shown(), null, "is a directory");
            }
            Set<PosixFilePermission> mode = existing != null && existing.isRegularFile() ? existing.permissions()
                    : NEW_FILE;
            // CREATE_NEW below never clobbers: the name only needs to be unlikely, not unguessable.
            Path temp = Path.of("." + entry.name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                    + ".magpie-tmp");
            boolean moved = false;
            try {
                Set<OpenOption> options = Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW, NO_FOLLOW);
                try (SeekableByteChannel channel = entry.dir.newByteChannel(temp, options)) {
                    ByteBuffer buffer = content.duplicate();
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                }
                posix(entry.dir, temp.toString()).setPermissions(mode);
                entry.dir.move(temp, entry.dir, Path.of(entry.name));
                moved = true;
            } finally {
                if (!moved) {
                    deleteQuietly(entry.dir, temp);
                }
            }
        }
    }

    /** Whether something is at the path; a symlink is followed, so a dangling one inside reads as absent. */
    public boolean exists(String relative) throws IOException {
        try (Walk.Entry entry = walk.resolve(relative, Walk.Last.FOLLOW, false)) {
            return entry.name == null || entry.attributes != null;
        } catch (NoSuchFileException | NotDirectoryException e) {
            return false;
        }
    }

    /** The sorted names of a directory's entries. */
    public List<String> list(String relative) throws IOException {
        try (Walk.Entry entry = walk.resolve(relative, Walk.Last.FOLLOW, false);
             SecureDirectoryStream<Path> dir = openListed(entry)) {
            List<String> names = new ArrayList<>();
            for (Path child : dir) {
                names.add(child.getFileName().toString());
            }
            names.sort(null);
            return names;
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
    }

    /** The entries of a directory by name, sorted, each with its own attributes (a symlink as a symlink). */
    public Map<String, PosixFileAttributes> listAttributes(String relative) throws IOException {
        try (Walk.Entry entry = walk.resolve(relative, Walk.Last.FOLLOW, false)) {
            Map<String, PosixFileAttributes> out = new TreeMap<>();
            try (SecureDirectoryStream<Path> dir = openListed(entry)) {
                for (Path child : dir) {
                    try {
                        out.put(child.getFileName().toString(), posix(dir, child.getFileName().toString())
                                .readAttributes());
                    } catch (NoSuchFileException e) {
                        // deleted meanwhile
                    }
                }
            } catch (DirectoryIteratorException e) {
                throw e.getCause();
            }
            return out;
        }
    }

    /** The attributes of what is at the path, a symlink to something inside followed. */
    public PosixFileAttributes attributes(String relative) throws IOException {
        try (Walk.Entry entry = walk.resolve(relative, Walk.Last.FOLLOW, false)) {
            if (entry.name == null) {
                return entry.dir.getFileAttributeView(PosixFileAttributeView.class).readAttributes();
            }
            if (entry.attributes == null) {
                throw new NoSuchFileException(entry.shown());
            }
            return entry.attributes;
        }
    }

    /** Creates a directory and the missing ones above it; an existing directory is fine. */
    public void createDirectories(String relative) throws IOException {
        try (Walk.Entry entry = walk.resolve(relative, Walk.Last.ENTRY, true)) {
            if (entry.name == null) {
                return;
            }
            BasicFileAttributes existing = entry.attributes;
            if (existing == null) {
                Dirs.createDirectory(entry.dir, entry.name);
            } else if (!existing.isDirectory()) {
                throw new FileSystemException(entry.shown(), null, "exists and is not a directory");
            }
        }
    }

    /**
     * Renames what is at {@code from} (a symlink as itself) to {@code to}, in one step: the parent of {@code to} must
     * exist, and something already at {@code to} is refused, never replaced.
     *
     * @throws FileAlreadyExistsException when something is at {@code to}
     */
    public void move(String from, String to) throws IOException {
        try (Walk.Entry source = walk.resolve(from, Walk.Last.ENTRY, false);
             Walk.Entry target = walk.resolve(to, Walk.Last.ENTRY, false)) {
            requireEntry(source);
            if (target.name == null || target.attributes != null) {
                throw new FileAlreadyExistsException(target.shown());
            }
            source.dir.move(Path.of(source.name), target.dir, Path.of(target.name));
        }
    }

    /** Sets the permission bits of what is at the path, a symlink to something inside followed. */
    public void setPermissions(String relative, Set<PosixFilePermission> permissions) throws IOException {
        try (Walk.Entry entry = walk.resolve(relative, Walk.Last.FOLLOW, false)) {
            view(entry).setPermissions(permissions);
        }
    }

    /** Sets the owner and the group (each left as it is when null) of what is at the path, links followed inside. */
    public void setOwner(String relative, UserPrincipal owner, GroupPrincipal group) throws IOException {
        try (Walk.Entry entry = walk.resolve(relative, Walk.Last.FOLLOW, false)) {
            PosixFileAttributeView view = view(entry);
            if (owner != null) {
                view.setOwner(owner);
            }
            if (group != null) {
                view.setGroup(group);
            }
        }
    }

    /** Deletes a file, a symlink (never its target) or an empty directory; a missing one is an error. */
    public void delete(String relative) throws IOException {
        try (Walk.Entry entry = walk.resolve(relative, Walk.Last.ENTRY, false)) {
            requireEntry(entry);
            Path name = Path.of(entry.name);
            if (entry.attributes.isDirectory()) {
                entry.dir.deleteDirectory(name);
            } else {
                entry.dir.deleteFile(name);
            }
        }
    }

    /**
     * Deletes what is at the path, a whole tree included, with {@link SafeTrees}; a symlink is deleted, never its
     * target.
     *
     * @return each path left behind (absolute), with the reason
     * @throws NoSuchFileException when nothing is at the path
     */
    public List<String> deleteTree(String relative) throws IOException {
        try (Walk.Entry entry = walk.resolve(relative, Walk.Last.ENTRY, false)) {
            requireEntry(entry);
            return SafeTrees.delete(entry.dir, Path.of(entry.name), path.resolve(entry.shown()));
        }
    }

    /** Releases the open directory; later calls fail. */
    @Override
    public void close() throws IOException {
        root.close();
    }

    /** Requires something other than the root at the entry. */
    private static void requireEntry(Walk.Entry entry) throws IOException {
        if (entry.name == null) {
            throw new FileSystemException(entry.shown(), null, "is the root or leads to it");
        }
        if (entry.attributes == null) {
            throw new NoSuchFileException(entry.shown());
        }
    }

    /** The attribute view of what a followed entry ended at, changed through its open directory. */
    private static PosixFileAttributeView view(Walk.Entry entry) throws IOException {
        if (entry.name == null) {
            return entry.dir.getFileAttributeView(PosixFileAttributeView.class);
        }
        if (entry.attributes == null) {
            throw new NoSuchFileException(entry.shown());
        }
        return posix(entry.dir, entry.name);
    }

    /** Opens the directory at the entry for listing. */
    private static SecureDirectoryStream<Path> openListed(Walk.Entry entry) throws IOException {
        if (entry.name == null) {
            return entry.dir.newDirectoryStream(Path.of("."), NO_FOLLOW);
        }
        if (entry.attributes == null) {
            throw new NoSuchFileException(entry.shown());
        }
        if (!entry.attributes.isDirectory()) {
            throw new NotDirectoryException(entry.shown());
        }
        return entry.dir.newDirectoryStream(Path.of(entry.name), NO_FOLLOW);
    }

    private static PosixFileAttributeView posix(SecureDirectoryStream<Path> dir, String name) {
        return dir.getFileAttributeView(Path.of(name), PosixFileAttributeView.class, NO_FOLLOW);
    }

    private static void deleteQuietly(SecureDirectoryStream<Path> dir, Path name) {
        try {
            dir.deleteFile(name);
        } catch (IOException e) {
            // Already gone, or reported by the failure under way.
        }
    }

    private static byte[] readAll(SeekableByteChannel channel) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(channel.size(), Integer.MAX_VALUE - 8));
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        while (channel.read(buffer) >= 0) {
            out.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
        return out.toByteArray();
    }
}
