package dev.magpie.sandbox.internal.files;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Set;

/**
 * The operations of a {@link SecureDirectoryStream} by path, for systems whose JDK offers none (macOS): each checks
 * for a link and then acts on the path, so a process swapping entries in between can still win that race. Linux
 * never uses it.
 */
final class PathDirectoryStream implements SecureDirectoryStream<Path> {

    private final Path directory;
    private DirectoryStream<Path> listing;

    PathDirectoryStream(Path directory) {
        this.directory = directory;
    }

    @Override
    public SecureDirectoryStream<Path> newDirectoryStream(Path name, LinkOption... options) throws IOException {
        Path path = directory.resolve(name);
        if (noFollow(options) && Files.isSymbolicLink(path)) {
            throw new FileSystemException(path.toString(), null, "is a symbolic link");
        }
        if (!Files.isDirectory(path)) {
            throw Files.exists(path, LinkOption.NOFOLLOW_LINKS) ? new NotDirectoryException(path.toString())
                    : new java.nio.file.NoSuchFileException(path.toString());
        }
        return new PathDirectoryStream(path);
    }

    @Override
    public SeekableByteChannel newByteChannel(Path name, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        return Files.newByteChannel(directory.resolve(name), options, attrs);
    }

    @Override
    public void deleteFile(Path name) throws IOException {
        Path path = directory.resolve(name);
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileSystemException(path.toString(), null, "is a directory");
        }
        Files.delete(path);
    }

    @Override
    public void deleteDirectory(Path name) throws IOException {
        Path path = directory.resolve(name);
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new NotDirectoryException(path.toString());
        }
        Files.delete(path);
    }

    @Override
    public void move(Path from, SecureDirectoryStream<Path> to, Path name) throws IOException {
        Files.move(directory.resolve(from), ((PathDirectoryStream) to).directory.resolve(name),
                StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public <V extends FileAttributeView> V getFileAttributeView(Class<V> type) {
        return Files.getFileAttributeView(directory, type);
    }

    @Override
    public <V extends FileAttributeView> V getFileAttributeView(Path name, Class<V> type, LinkOption... options) {
        return Files.getFileAttributeView(directory.resolve(name), type, options);
    }

    @Override
    public Iterator<Path> iterator() {
        if (listing != null) {
            throw new IllegalStateException("the entries of " + directory + " are listed once");
        }
        try {
            listing = Files.newDirectoryStream(directory);
        } catch (IOException e) {
            throw new java.nio.file.DirectoryIteratorException(e);
        }
        return listing.iterator();
    }

    @Override
    public void close() throws IOException {
        if (listing != null) {
            listing.close();
        }
    }

    /** This directory's path, for the calls the JDK has no relative form of. */
    Path directory() {
        return directory;
    }

    private static boolean noFollow(LinkOption... options) {
        return Arrays.asList(options).contains(LinkOption.NOFOLLOW_LINKS);
    }
}
