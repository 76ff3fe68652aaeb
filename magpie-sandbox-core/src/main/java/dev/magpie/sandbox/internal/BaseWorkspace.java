package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.Transcript;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceDestroyedException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every provider shares: the destroyed state, the transcript, and path resolution. Providers implement the
 * {@code do*} operations with paths already resolved and checked.
 */
public abstract class BaseWorkspace implements Workspace {

    private final String name;
    private final Transcript transcript = new Transcript();
    private final AtomicBoolean destroyed = new AtomicBoolean();

    protected BaseWorkspace(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Transcript transcript() {
        return transcript;
    }

    @Override
    public final ExecResult exec(ExecRequest request) {
        Objects.requireNonNull(request, "request");
        checkOpen();
        request.subdirectory().ifPresent(this::resolve);
        ExecResult result = doExec(request);
        transcript.record(request, result);
        return result.redactedBy(transcript::redact);
    }

    @Override
    public final byte[] readFile(String path) {
        checkOpen();
        return doReadFile(resolve(path));
    }

    @Override
    public final void writeFile(String path, byte[] content) {
        Objects.requireNonNull(content, "content");
        checkOpen();
        doWriteFile(resolve(path), content);
    }

    @Override
    public final boolean exists(String path) {
        checkOpen();
        return doExists(resolve(path));
    }

    @Override
    public final List<String> list(String directory) {
        checkOpen();
        return doList(resolve(directory));
    }

    @Override
    public final void delete(String path) {
        checkOpen();
        String resolved = resolve(path);
        if (resolved.equals(PathRules.resolve(workingDir(), "."))) {
            throw new IllegalArgumentException("Refused to delete the working directory itself ('" + path
                    + "'); delete the entries inside it, or destroy the workspace.");
        }
        doDelete(resolved);
    }

    @Override
    public final void destroy() {
        if (destroyed.compareAndSet(false, true)) {
            doDestroy();
        }
    }

    /** Whether {@link #destroy()} has been called. */
    public final boolean isDestroyed() {
        return destroyed.get();
    }

    @Override
    public String toString() {
        return name + " workspace " + id() + " at " + workingDir();
    }

    /** Resolves a user path to an absolute path inside the working directory, or refuses it. */
    protected String resolve(String path) {
        return PathRules.resolve(workingDir(), path);
    }

    protected final void checkOpen() {
        if (destroyed.get()) {
            throw new WorkspaceDestroyedException(name, id());
        }
    }

    protected abstract ExecResult doExec(ExecRequest request);

    protected abstract byte[] doReadFile(String absolutePath);

    protected abstract void doWriteFile(String absolutePath, byte[] content);

    protected abstract boolean doExists(String absolutePath);

    protected abstract List<String> doList(String absolutePath);

    protected abstract void doDelete(String absolutePath);

    protected abstract void doDestroy();
}
