package dev.magpie.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.HostGit;
import dev.magpie.sandbox.internal.Redactor;
import dev.magpie.sandbox.internal.TreeDeleter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Puts a git repository into a container's working directory: cloned by the container's own git, or cloned on
 * this machine and copied in as a tar archive (for sources the container cannot reach: local paths, {@code file:}
 * URLs, or any source when its network is off).
 */
final class RepositoryLoader {

    private static final Duration GIT_TIMEOUT = Duration.ofMinutes(10);

    private final DockerClient client;
    private final String containerId;
    private final ContainerExec exec;
    private final String workingDir;

    RepositoryLoader(DockerClient client, String containerId, ContainerExec exec, String workingDir) {
        this.client = client;
        this.containerId = containerId;
        this.exec = exec;
        this.workingDir = workingDir;
    }

    /** Whether a source names something on this machine rather than something the container could fetch. */
    static boolean isHostSource(String source) {
        return source.startsWith("file:") || source.startsWith("/") || source.startsWith(".")
                || Files.exists(Path.of(source));
    }

    /** Clones with the container's git; as root when the image's user cannot write the fresh working directory yet. */
    void cloneInContainer(String source, String ref, boolean asRoot) {
        git(source, asRoot, "clone", "--quiet", "--", source, ".");
        if (ref != null) {
            git(source, asRoot, "checkout", "--quiet", ref, "--");
        }
    }

    private void git(String source, boolean asRoot, String... args) {
        ExecRequest request = ExecRequest.builder("git", args).timeout(GIT_TIMEOUT).build();
        ExecResult result = asRoot ? exec.runAsRoot(request, workingDir) : exec.run(request, workingDir);
        check(result, source, "git " + args[0] + " in the container");
    }

    void cloneOnHostAndCopy(String source, String ref) {
        Path temp;
        try {
            temp = Files.createTempDirectory("magpie-docker-clone-");
        } catch (IOException e) {
            throw new WorkspaceException("Could not create a temporary directory to clone into on this machine: "
                    + e.getMessage() + ". Check that java.io.tmpdir is writable.", e);
        }
        try {
            Path checkout = temp.resolve("repo");
            git(source, temp, "clone", "--quiet", "--", source, checkout.toString());
            if (ref != null) {
                git(source, checkout, "checkout", "--quiet", ref, "--");
            }
            copyDirectory(checkout);
        } finally {
            TreeDeleter.delete(temp);
        }
    }

    /** Copies the contents of a directory of this machine into the working directory. */
    void copyDirectory(Path directory) {
        Path tar = null;
        try {
            tar = Files.createTempFile("magpie-docker-copy-", ".tar");
            writeTar(directory, tar);
            try (InputStream in = Files.newInputStream(tar)) {
                client.copyArchiveToContainerCmd(containerId).withRemotePath(workingDir).withTarInputStream(in).exec();
            }
        } catch (IOException e) {
            throw new WorkspaceException("Could not copy " + directory + " into container " + containerId + ": "
                    + e.getMessage(), e);
        } finally {
            if (tar != null) {
                TreeDeleter.delete(tar);
            }
        }
    }

    private static void writeTar(Path root, Path target) throws IOException {
        try (OutputStream out = Files.newOutputStream(target); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (!dir.equals(root)) {
                        add(tar, root, dir, attrs);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    add(tar, root, file, attrs);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
    }

    private static void add(TarArchiveOutputStream tar, Path root, Path path, BasicFileAttributes attrs)
            throws IOException {
        String name = root.relativize(path).toString().replace('\\', '/');
        TarArchiveEntry entry;
        if (attrs.isSymbolicLink()) {
            entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            entry.setLinkName(Files.readSymbolicLink(path).toString());
        } else {
            entry = new TarArchiveEntry(path, attrs.isDirectory() ? name + "/" : name, LinkOption.NOFOLLOW_LINKS);
            entry.setMode((attrs.isDirectory() ? 040000 : 0100000) | mode(path, attrs));
        }
        // Owned by root in the container, whoever owns them here; the builder hands them to the image's user.
        entry.setIds(0, 0);
        entry.setNames("root", "root");
        tar.putArchiveEntry(entry);
        if (attrs.isRegularFile()) {
            Files.copy(path, tar);
        }
        tar.closeArchiveEntry();
    }

    private static int mode(Path path, BasicFileAttributes attrs) throws IOException {
        boolean executable = attrs.isDirectory()
                || Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).contains(PosixFilePermission.OWNER_EXECUTE);
        return executable ? 0755 : 0644;
    }

    private void check(ExecResult result, String source, String what) {
        if (!result.succeeded()) {
            throw new WorkspaceException(what + " of " + Redactor.redact(source) + " failed with exit code "
                    + result.exitCode() + (result.timedOut() ? " (timed out)" : "") + ": "
                    + Redactor.redact(result.stderrTail(10)));
        }
    }

    private static void git(String source, Path directory, String... args) {
        HostGit.standalone(GIT_TIMEOUT, ProviderId.DOCKER).run(directory, "to " + args[0] + " "
                + Redactor.redact(source) + " on this machine", args);
    }
}
