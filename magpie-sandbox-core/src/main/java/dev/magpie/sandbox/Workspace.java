package dev.magpie.sandbox;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An isolated execution environment: a working directory where commands run and files are read and written.
 *
 * <p>Every path is relative to {@link #workingDir()}. A path that resolves outside it ({@code ..}, an absolute
 * path elsewhere, a symlink pointing out, a NUL byte) is refused with a {@link PathOutsideWorkspaceException}
 * and nothing outside is touched. A non-zero exit code is data in the {@link ExecResult}, never an exception.
 *
 * <p>Implementations are safe for use from several threads at once. {@link #destroy()} releases everything
 * the workspace owns and is idempotent; any other call after it throws {@link WorkspaceDestroyedException}.
 */
public interface Workspace extends AutoCloseable {

    /** The provider this workspace belongs to, such as {@link ProviderId#LOCAL}. */
    ProviderId provider();

    /** Where a user finds this workspace: a local path, a container id, a remote sandbox id. */
    String id();

    /** The absolute path, inside the workspace, where commands run and relative paths resolve. */
    String workingDir();

    /** Runs a program with arguments, without a shell. */
    default ExecResult exec(String program, String... args) {
        return exec(ExecRequest.of(program, args));
    }

    /** Runs a script with {@code sh -c}. */
    default ExecResult shell(String script) {
        return exec(ExecRequest.shell(script));
    }

    /** Runs a command as the request describes: env, subdirectory, stdin, timeout, output limit, listener. */
    ExecResult exec(ExecRequest request);

    /**
     * Starts a command in the background as the request describes and returns at once; see
     * {@link BackgroundProcess}. Destroying the workspace stops it. A program that cannot be started ends the
     * process at once: {@link BackgroundProcess#waitFor} throws the {@link CommandStartException}, and
     * {@link BackgroundProcess#waitUntilReady} says so.
     */
    BackgroundProcess start(ExecRequest request);

    /** Starts a script with {@code sh -c} in the background; see {@link #start(ExecRequest)}. */
    default BackgroundProcess startShell(String script) {
        return start(ExecRequest.shell(script));
    }

    /**
     * Where this JVM reaches {@code port} of the workspace, as an {@code http} URI with no path: the loopback for a
     * local workspace, the container's address for Docker, the preview URL for Daytona (which carries HTTP only).
     * Nothing needs to listen yet; the address is the same for the workspace's life.
     *
     * @throws WorkspaceException when the workspace has no network this JVM shares (the message says what to set)
     */
    URI endpoint(int port);

    /** Reads a whole file. */
    byte[] readFile(String path);

    /** Reads a whole file as UTF-8. */
    default String readString(String path) {
        return new String(readFile(path), StandardCharsets.UTF_8);
    }

    /** Writes a whole file atomically, creating parent directories; a failed write leaves no partial file. */
    void writeFile(String path, byte[] content);

    /** Writes a whole file as UTF-8. */
    default void writeString(String path, String content) {
        writeFile(path, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether a file or directory exists at the path. */
    boolean exists(String path);

    /** The names of the entries of a directory, sorted. */
    List<String> list(String directory);

    /** Deletes a file or a directory tree; deleting a missing path does nothing. */
    void delete(String path);

    /** Every command run so far, with secrets redacted. */
    Transcript transcript();

    /** Releases everything this workspace owns. Safe to call more than once. */
    void destroy();

    /** Same as {@link #destroy()}. */
    @Override
    default void close() {
        destroy();
    }
}
