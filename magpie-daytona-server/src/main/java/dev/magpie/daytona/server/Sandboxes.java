package dev.magpie.daytona.server;

import dev.magpie.sandbox.internal.files.SafeRoot;
import dev.magpie.sandbox.internal.files.SafeTrees;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The sandboxes of one server, each a directory under the server's root: {@code <root>/<id>/home} is its home
 * and working directory, filled from the snapshot's template directory when the snapshot has one. Thread-safe.
 */
final class Sandboxes {

    /** The file type bits of {@code st_mode}, and their value for a named pipe. */
    private static final int FILE_TYPE = 0170000;
    private static final int FIFO = 0010000;

    private final Path root;
    private final SandboxRuntime runtime;
    private final PreviewPorts previews;
    private final Map<String, LocalSandbox> byId = new ConcurrentHashMap<>();
    /** Name to id, claimed before the sandbox is laid out so that racing creates cannot share a name. */
    private final Map<String, String> names = new ConcurrentHashMap<>();

    Sandboxes(Path root, SandboxRuntime runtime, PreviewPorts previews) {
        this.root = root;
        this.runtime = runtime;
        this.previews = previews;
    }

    /**
     * Lays out and starts a sandbox.
     *
     * @param errorReason asked once the name is claimed: the reason the sandbox fails to start, or null
     * @throws NameTaken when a sandbox with the requested name exists
     */
    LocalSandbox create(CreateRequest request, Optional<Path> template, Duration startDelay,
                        java.util.function.Supplier<String> errorReason) {
        String id = java.util.UUID.randomUUID().toString();
        String name = request.name() == null ? id : request.name();
        if (names.putIfAbsent(name, id) != null) {
            throw new NameTaken(name);
        }
        try {
            return layOut(id, name, request, template, startDelay, errorReason.get());
        } catch (RuntimeException | Error e) {
            names.remove(name, id);
            throw e;
        }
    }

    private LocalSandbox layOut(String id, String name, CreateRequest request, Optional<Path> template,
                                Duration startDelay, String errorReason) {
        Path home = root.resolve(id).resolve("home");
        try {
            Files.createDirectories(home);
            if (template.isPresent()) {
                copyTree(template.get(), home);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not lay out sandbox " + id + " in " + home, e);
        }
        LocalSandbox sandbox = new LocalSandbox(id, name,
                request.snapshot(), request.user(), request.target(), request.env(), request.labels(),
                request.volumes(), request.intervals(), home, runtime, startDelay, errorReason);
        try {
            runtime.start(sandbox);
        } catch (IOException e) {
            close(sandbox);
            deleteTree(home.getParent());
            throw new UncheckedIOException("Could not start sandbox " + id, e);
        }
        byId.put(id, sandbox);
        return sandbox;
    }

    Optional<LocalSandbox> find(String idOrName) {
        LocalSandbox byKey = byId.get(idOrName);
        if (byKey != null) {
            return Optional.of(byKey);
        }
        return byId.values().stream().filter(s -> s.name.equals(idOrName)).findFirst();
    }

    /** Sandboxes carrying every given label, oldest first. */
    List<LocalSandbox> withLabels(Map<String, String> labels) {
        List<LocalSandbox> out = new ArrayList<>();
        for (LocalSandbox s : byId.values()) {
            if (labels.entrySet().stream().allMatch(e -> e.getValue().equals(s.labels.get(e.getKey())))) {
                out.add(s);
            }
        }
        out.sort(Comparator.comparing((LocalSandbox s) -> s.createdAt).thenComparing(s -> s.id));
        return out;
    }

    Collection<LocalSandbox> all() {
        return List.copyOf(byId.values());
    }

    /** Kills the sandbox's processes, closes its preview ports, removes it and deletes its directory. */
    void delete(LocalSandbox sandbox) {
        synchronized (sandbox) {
            sandbox.markDestroying();
            sandbox.killAll();
            previews.close(sandbox);
        }
        byId.remove(sandbox.id);
        names.remove(sandbox.name, sandbox.id);
        runtime.stop(sandbox);
        close(sandbox);
        deleteTree(sandbox.directory.getParent());
    }

    private static void close(LocalSandbox sandbox) {
        try {
            sandbox.files.close();
        } catch (IOException e) {
            // only a directory handle: nothing written is lost
        }
    }

    void deleteAll() {
        all().forEach(this::delete);
    }

    /**
     * Deletes a tree without ever following a symlink, even while processes of the sandbox swap its entries (see
     * {@link SafeTrees}); a missing tree is fine.
     */
    static void deleteTree(Path dir) {
        List<String> left = SafeTrees.delete(dir);
        if (!left.isEmpty()) {
            throw new UncheckedIOException(new IOException("Could not delete " + left.size() + " path(s) under "
                    + dir + ": " + String.join("; ", left.subList(0, Math.min(20, left.size())))));
        }
    }

    /**
     * Copies a tree as an image of the file system would: a link is copied as a link, never followed (a snapshot's
     * home was a sandbox's to shape); a named pipe is made anew, never opened (a copy that read it would wait for a
     * writer forever); a socket or a device file is left out, meaning nothing without its process or its machine.
     * The source is read through a {@link SafeRoot}, one component at a time from the open directory: a sandbox's
     * process that swaps a directory for a link while the copy runs cannot make it read anything outside.
     */
    static void copyTree(Path from, Path to) throws IOException {
        try (SafeRoot source = SafeRoot.open(from.toRealPath())) {
            Files.createDirectories(to);
            copyDirectory(source, "", to);
        }
    }

    private static void copyDirectory(SafeRoot source, String directory, Path to) throws IOException {
        for (Map.Entry<String, PosixFileAttributes> entry : source.listAttributes(directory).entrySet()) {
            String relative = directory.isEmpty() ? entry.getKey() : directory + "/" + entry.getKey();
            Path target = to.resolve(entry.getKey());
            PosixFileAttributes file = entry.getValue();
            if (file.isDirectory()) {
                Files.createDirectory(target);
                copyDirectory(source, relative, target);
                Files.setPosixFilePermissions(target, file.permissions());
            } else if (file.isRegularFile()) {
                try (SeekableByteChannel in = source.openRead(relative);
                     FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW,
                             StandardOpenOption.WRITE)) {
                    for (long at = 0, copied; (copied = out.transferFrom(in, at, 1 << 20)) > 0; ) {
                        at += copied;
                    }
                }
                Files.setPosixFilePermissions(target, file.permissions());
                Files.setLastModifiedTime(target, file.lastModifiedTime());
            } else if (file.isSymbolicLink()) {
                Files.createSymbolicLink(target, Files.readSymbolicLink(source.path().resolve(relative)));
            } else {
                int mode = (Integer) Files.getAttribute(source.path().resolve(relative), "unix:mode",
                        LinkOption.NOFOLLOW_LINKS);
                if ((mode & FILE_TYPE) == FIFO) {
                    makeFifo(target, mode & 07777); // its times are not set: Java opens a file to set them
                }
            }
        }
    }

    /** Makes a named pipe with the permissions given, as {@code mkfifo} does: Java has no call for it. */
    private static void makeFifo(Path target, int permissions) throws IOException {
        Process mkfifo = new ProcessBuilder("mkfifo", "-m", Integer.toOctalString(permissions), target.toString())
                .redirectErrorStream(true).start();
        try {
            if (!mkfifo.waitFor(30, TimeUnit.SECONDS)) {
                mkfifo.destroyForcibly();
                throw new FileSystemException(target.toString(), null, "mkfifo did not end within 30 s");
            }
        } catch (InterruptedException e) {
            mkfifo.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while making the named pipe " + target);
        }
        String output = new String(mkfifo.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (mkfifo.exitValue() != 0) {
            throw new FileSystemException(target.toString(), null, "mkfifo failed (exit " + mkfifo.exitValue()
                    + (output.isEmpty() ? "" : ": " + output) + ")");
        }
    }

    /** A create named a sandbox that exists. */
    static final class NameTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NameTaken(String name) {
            super("Sandbox with name " + name + " already exists");
        }
    }
}
