package dev.magpie.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.magpie.sandbox.BackgroundProcess;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Transcript;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.internal.BackgroundProcesses;
import dev.magpie.sandbox.internal.WorkspaceCore;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A workspace in a Docker container created from an image, such as an image with a repository, its toolchain
 * and its dependencies baked in (the local counterpart of a Daytona snapshot).
 *
 * <p>The container runs {@code sleep infinity}; commands run through a long-lived shell in it, started with the
 * workspace, which starts each command itself (a new exec of the engine per command costs ten times more).
 * Commands from several threads run at once, each shell running one at a time. A command that leaves processes
 * running in the background hands its shell over to them, and the next command starts a new one. Files
 * travel as tar archives; symlinks are resolved inside the container, so the path rules are those of local workspaces.
 * Destroy removes the container (with force) and is idempotent. Containers carry labels naming this JVM, so that
 * a later run removes those a killed JVM left behind. Create one with {@link #builder(String)}.
 *
 * <p>Background processes ({@link #start(ExecRequest)}) run on channels of their own; their live stdin is a named
 * pipe in the container's temporary directory. {@link #endpoint(int)} is the container's address on the engine's network, so
 * no port needs publishing; a container without a network ({@code network(false)}, or the network policy
 * {@code none}) has no address, and {@code endpoint} says so.
 */
public final class DockerWorkspace implements Workspace {

    /** The working directory when none is given. */
    public static final String DEFAULT_WORKING_DIR = "/workspace";

    private final WorkspaceCore core;
    private final DockerClient client;
    private final String containerId;
    private final String image;
    private final String workingDir;
    private final ContainerExec exec;
    private final ContainerFiles files;
    private final BackgroundProcesses background;

    DockerWorkspace(DockerClient client, String containerId, String image, String workingDir, Map<String, String> env,
                    ContainerExec exec) {
        this.core = WorkspaceCore.lexical(ProviderId.DOCKER, this);
        this.client = client;
        this.containerId = containerId;
        this.image = image;
        this.workingDir = workingDir;
        core.addSecretsOf(env);
        this.exec = exec;
        this.files = new ContainerFiles(client, containerId, exec, workingDir);
        this.background = new BackgroundProcesses(new DockerServices(client, containerId,
                (shown, actual) -> core.exec(shown, actual, this::doExec),
                request -> engine("feed a background command", () -> exec.run(request, "/")),
                request -> engine("signal a background command", () -> exec.runAsRoot(request, "/"))),
                core.transcript()::redact);
    }

    /** Starts describing a workspace in a new container of {@code image}; nothing is pulled. */
    public static DockerWorkspaceBuilder builder(String image) {
        return new DockerWorkspaceBuilder(image);
    }

    /** The container's id. */
    @Override
    public String id() {
        return containerId;
    }

    @Override
    public String workingDir() {
        return workingDir;
    }

    /** The image the container was created from. */
    public String image() {
        return image;
    }

    /** The labels of the container, as the engine reports them. */
    public Map<String, String> labels() {
        core.checkOpen();
        return Map.copyOf(client.inspectContainerCmd(containerId).exec().getConfig().getLabels());
    }

    @Override
    public ProviderId provider() {
        return core.provider();
    }

    @Override
    public Transcript transcript() {
        return core.transcript();
    }

    @Override
    public ExecResult exec(ExecRequest request) {
        return core.exec(request, this::doExec);
    }

    @Override
    public BackgroundProcess start(ExecRequest request) {
        Objects.requireNonNull(request, "request");
        core.checkOpen();
        return background.start(request);
    }

    @Override
    public URI endpoint(int port) {
        core.checkOpen();
        return engine("inspect the network of", () -> background.endpoint(port));
    }

    @Override
    public byte[] readFile(String path) {
        return doReadFile(core.resolve(path));
    }

    @Override
    public void writeFile(String path, byte[] content) {
        Objects.requireNonNull(content, "content");
        doWriteFile(core.resolve(path), content);
    }

    @Override
    public boolean exists(String path) {
        return doExists(core.resolve(path));
    }

    @Override
    public List<String> list(String directory) {
        return doList(core.resolve(directory));
    }

    @Override
    public void delete(String path) {
        doDelete(core.resolveForDelete(path));
    }

    @Override
    public void destroy() {
        core.destroy(this::doDestroy);
    }

    @Override
    public String toString() {
        return core.describe();
    }

    private ExecResult doExec(ExecRequest request) {
        if (request.subdirectory().isEmpty()) {
            return engine("run " + request.command(), () -> exec.run(request, workingDir));
        }
        String directory = core.resolve(request.subdirectory().get());
        return engine("run " + request.command(), () -> exec.run(request, directory, workingDir));
    }

    private byte[] doReadFile(String absolutePath) {
        return engine("read " + absolutePath, () -> files.read(absolutePath));
    }

    private void doWriteFile(String absolutePath, byte[] content) {
        engine("write " + absolutePath, () -> {
            files.write(absolutePath, content);
            return null;
        });
    }

    private boolean doExists(String absolutePath) {
        return engine("check " + absolutePath, () -> files.exists(absolutePath));
    }

    private List<String> doList(String absolutePath) {
        return engine("list " + absolutePath, () -> files.list(absolutePath));
    }

    private void doDelete(String absolutePath) {
        engine("delete " + absolutePath, () -> {
            files.delete(absolutePath);
            return null;
        });
    }

    /** Turns the engine client's failures into this library's exceptions, saying what was being done. */
    private <T> T engine(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (WorkspaceException e) {
            throw e;
        } catch (NotFoundException e) {
            throw new WorkspaceException("Could not " + operation + ": container " + containerId + " no longer"
                    + " exists (removed outside this workspace?). Create a new workspace.", e);
        } catch (DockerException e) {
            throw new WorkspaceException("The Docker engine refused to " + operation + " in container "
                    + containerId + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof IOException) {
                throw new WorkspaceException("Lost the connection to the Docker engine while trying to " + operation
                        + " in container " + containerId + ": " + e.getCause().getMessage(), e);
            }
            throw e;
        }
    }

    private void doDestroy() {
        try {
            background.stopAll();
        } finally {
            exec.close();
            remove(client, containerId);
        }
    }

    static void remove(DockerClient client, String containerId) {
        try {
            client.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // Already gone (removed by hand or by another run's clean-up): destroy's goal is reached.
        } catch (RuntimeException e) {
            throw new WorkspaceException("Could not remove container " + containerId + ": " + e.getMessage()
                    + ". Remove it with: docker rm -f " + containerId, e);
        }
    }
}
