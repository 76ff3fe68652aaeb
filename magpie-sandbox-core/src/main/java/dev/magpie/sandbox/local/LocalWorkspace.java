package dev.magpie.sandbox.local;

import dev.magpie.sandbox.CommandStartException;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.BaseWorkspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A workspace in a directory of this machine: an existing directory (never deleted), or a temporary one
 * (deleted on destroy).
 */
public final class LocalWorkspace extends BaseWorkspace {

    private final Path directory;
    private final boolean owned;
    private final Map<String, String> env;

    private LocalWorkspace(Path directory, boolean owned, Map<String, String> env) {
        super("local");
        this.directory = directory;
        this.owned = owned;
        this.env = Map.copyOf(env);
    }

    /** Uses an existing directory; destroy leaves it in place. */
    public static LocalWorkspace fromPath(Path directory) {
        return fromPath(directory, Map.of());
    }

    /** Uses an existing directory with extra environment variables for every command. */
    public static LocalWorkspace fromPath(Path directory, Map<String, String> env) {
        if (!Files.isDirectory(directory)) {
            throw new WorkspaceException("Expected an existing directory for a local workspace, but "
                    + directory.toAbsolutePath() + (Files.exists(directory) ? " is not a directory" : " does not exist")
                    + ". Create it first or point at another path.");
        }
        try {
            return new LocalWorkspace(directory.toRealPath(), false, env);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new empty temporary directory, deleted on destroy. */
    public static LocalWorkspace temporary(Map<String, String> env) {
        try {
            return new LocalWorkspace(Files.createTempDirectory("magpie-").toRealPath(), true, env);
        } catch (IOException e) {
            throw new WorkspaceException("Could not create a temporary directory: " + e.getMessage(), e);
        }
    }

    /** The directory on this machine. */
    public Path directory() {
        return directory;
    }

    /** Whether destroy deletes the directory. */
    public boolean ownsDirectory() {
        return owned;
    }

    @Override
    public String id() {
        return directory.toString();
    }

    @Override
    public String workingDir() {
        return directory.toString();
    }

    @Override
    protected ExecResult doExec(ExecRequest request) {
        ProcessBuilder builder = new ProcessBuilder(request.command());
        builder.directory(request.subdirectory().map(directory::resolve).orElse(directory).toFile());
        builder.environment().putAll(env);
        builder.environment().putAll(request.env());
        long start = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CommandStartException(request.command().get(0), e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
            byte[] err;
            byte[] out;
            var errReader = new java.util.concurrent.CompletableFuture<byte[]>();
            Thread t = new Thread(() -> {
                try {
                    errReader.complete(process.getErrorStream().readAllBytes());
                } catch (IOException e) {
                    errReader.completeExceptionally(e);
                }
            });
            t.start();
            out = process.getInputStream().readAllBytes();
            err = errReader.join();
            int code = process.waitFor();
            return new ExecResult(request.command(), code > 128 ? ExecResult.KILLED : code, new String(out),
                    new String(err), Duration.ofNanos(System.nanoTime() - start), false, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new WorkspaceException("Interrupted while running " + request.command(), e);
        }
    }

    @Override
    protected byte[] doReadFile(String absolutePath) {
        try {
            return Files.readAllBytes(Path.of(absolutePath));
        } catch (NoSuchFileException e) {
            throw new WorkspaceException("No file at '" + directory.relativize(Path.of(absolutePath))
                    + "' in " + directory + ".", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void doWriteFile(String absolutePath, byte[] content) {
        Path target = Path.of(absolutePath);
        try {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), ".magpie-", ".tmp");
            try {
                Files.write(temp, content);
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected boolean doExists(String absolutePath) {
        return Files.exists(Path.of(absolutePath));
    }

    @Override
    protected List<String> doList(String absolutePath) {
        try (Stream<Path> entries = Files.list(Path.of(absolutePath))) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void doDelete(String absolutePath) {
        deleteTree(Path.of(absolutePath));
    }

    @Override
    protected void doDestroy() {
        if (owned) {
            deleteTree(directory);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
