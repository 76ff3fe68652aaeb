package dev.magpie.sandbox.docker;

import dev.magpie.sandbox.InvalidInputException;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.HostConfig;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.GitRefs;
import dev.magpie.sandbox.internal.JvmIdentity;
import dev.magpie.sandbox.internal.PathRules;
import dev.magpie.sandbox.internal.Redactor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Describes a {@link DockerWorkspace}: image, working directory, environment, labels, an optional repository or
 * local directory put into the working directory, network on or off, CPU and memory limits. {@link #build()}
 * creates and starts the container; a builder may be reused.
 */
public final class DockerWorkspaceBuilder {

    /** Who clones a repository. */
    public enum CloneMode {
        /** On this machine for local paths and {@code file:} URLs, or when the network is off; else in the container. */
        AUTO,
        /** With the container's own git: needs git in the image and, for remote sources, the network. */
        IN_CONTAINER,
        /** With this machine's git, then copied into the container as an archive. */
        ON_HOST
    }

    private final String image;
    private String workingDir = DockerWorkspace.DEFAULT_WORKING_DIR;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private String repository;
    private String ref;
    private CloneMode cloneMode = CloneMode.AUTO;
    private Path copyFrom;
    private boolean network = true;
    private long memoryBytes;
    private double cpus;
    private Duration probeTimeout = DockerEngine.DEFAULT_PROBE_TIMEOUT;

    DockerWorkspaceBuilder(String image) {
        Objects.requireNonNull(image, "image");
        if (image.isBlank()) {
            throw new InvalidInputException("A Docker workspace needs an image name, such as"
                    + " magpie/debian-git:bookworm, but got a blank one. Pass the name of an image the engine holds.");
        }
        this.image = image.trim();
    }

    /** The absolute directory in the container where commands run; created when missing. */
    public DockerWorkspaceBuilder workingDir(String absolutePath) {
        if (absolutePath == null || !absolutePath.startsWith("/")) {
            throw new InvalidInputException("The working directory of a container must be an absolute path such"
                    + " as /workspace, but got '" + absolutePath + "'. Pass an absolute path.");
        }
        this.workingDir = PathRules.resolve("/", absolutePath);
        return this;
    }

    /** An environment variable for every command in the container. */
    public DockerWorkspaceBuilder env(String name, String value) {
        env.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    public DockerWorkspaceBuilder env(Map<String, String> variables) {
        variables.forEach(this::env);
        return this;
    }

    /** A label on the container; the library's own ownership labels cannot be replaced. */
    public DockerWorkspaceBuilder label(String key, String value) {
        if (ContainerLabels.isReserved(key)) {
            throw new InvalidInputException("Label '" + key + "' is set by the library to find containers of"
                    + " dead JVMs; choose another key.");
        }
        labels.put(key, Objects.requireNonNull(value, "value"));
        return this;
    }

    /** A git repository cloned into the working directory: a git URL or a path of this machine. */
    public DockerWorkspaceBuilder repository(String source) {
        this.repository = source;
        return this;
    }

    /** A branch, tag or commit of the repository to check out; one starting with {@code -} is refused. */
    public DockerWorkspaceBuilder ref(String branchTagOrCommit) {
        this.ref = GitRefs.checked(branchTagOrCommit);
        return this;
    }

    public DockerWorkspaceBuilder cloneMode(CloneMode mode) {
        this.cloneMode = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /** A directory of this machine whose contents are copied into the working directory. */
    public DockerWorkspaceBuilder copyFrom(Path directory) {
        this.copyFrom = directory;
        return this;
    }

    /** Whether the container has a network; {@code false} leaves it only a loopback interface. */
    public DockerWorkspaceBuilder network(boolean enabled) {
        this.network = enabled;
        return this;
    }

    /** A memory limit in bytes; 0 means none. */
    public DockerWorkspaceBuilder memoryBytes(long bytes) {
        if (bytes < 0 || bytes > 0 && bytes < 6L * 1024 * 1024) {
            throw new InvalidInputException("A container memory limit must be 0 (none) or at least 6 MiB; got "
                    + bytes + " bytes. Pass 0 for no limit, or a larger one.");
        }
        this.memoryBytes = bytes;
        return this;
    }

    /** A CPU limit in cores, such as 1.5; 0 means none. */
    public DockerWorkspaceBuilder cpus(double cores) {
        if (cores < 0 || Double.isNaN(cores)) {
            throw new InvalidInputException("A CPU limit must be 0 (none) or a positive number of cores; got "
                    + cores + ". Pass 0 for no limit, or a positive number.");
        }
        this.cpus = cores;
        return this;
    }

    /** How long the engine may take to answer before it counts as absent. */
    public DockerWorkspaceBuilder probeTimeout(Duration timeout) {
        this.probeTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /**
     * Creates and starts the container and fills its working directory.
     *
     * @throws dev.magpie.sandbox.ProviderUnavailableException when no engine answers
     * @throws WorkspaceException when the image is missing or the container cannot be prepared; nothing is left
     */
    public DockerWorkspace build() {
        if (ref != null && repository == null) {
            throw new InvalidInputException("ref '" + ref + "' needs a repository; set repository as well.");
        }
        if (repository != null && copyFrom != null) {
            throw new InvalidInputException("Fill the working directory from a repository or from a directory,"
                    + " not both: repository='" + Redactor.redact(repository) + "', copyFrom='" + copyFrom
                    + "'. Keep one of them.");
        }
        if (copyFrom != null && !Files.isDirectory(copyFrom)) {
            throw new InvalidInputException("copyFrom must be an existing directory, but " + copyFrom.toAbsolutePath()
                    + " is not one. Create it first, or pass another directory.");
        }
        DockerEngine engine = DockerEngine.connect(probeTimeout);
        DockerClient client = engine.client();
        String imageUser = engine.imageUser(image).orElse(null);
        if (imageUser == null) {
            throw new WorkspaceException("Image '" + image + "' is not on the Docker engine at " + engine.endpoint()
                    + ", and nothing is pulled. Build or pull it first (.ci/docker-setup builds"
                    + " magpie/debian-git:bookworm without a registry).");
        }
        String containerId;
        try {
            containerId = create(client, engine.owner());
        } catch (DockerException e) {
            throw new WorkspaceException("Could not create a container from image '" + image + "': "
                    + e.getMessage(), e);
        }
        try {
            client.startContainerCmd(containerId).exec();
            ContainerExec exec = new ContainerExec(client, containerId);
            try {
                exec.warmUp();
                fill(client, containerId, exec, imageUser);
                // No shell of root's stays in a container whose image runs as another user.
                exec.closeChannelsOf("root");
            } catch (RuntimeException e) {
                exec.close();
                throw e;
            }
            return new DockerWorkspace(client, containerId, image, workingDir, env, exec);
        } catch (RuntimeException e) {
            DockerWorkspace.remove(client, containerId);
            if (e instanceof DockerException) {
                throw new WorkspaceException("Could not start a container from image '" + image + "': "
                        + e.getMessage() + ". The container was removed.", e);
            }
            throw e;
        }
    }

    private String create(DockerClient client, JvmIdentity owner) {
        HostConfig host = HostConfig.newHostConfig();
        if (!network) {
            host.withNetworkMode("none");
        }
        if (memoryBytes > 0) {
            host.withMemory(memoryBytes).withMemorySwap(memoryBytes);
        }
        if (cpus > 0) {
            host.withNanoCPUs(Math.round(cpus * 1_000_000_000d));
        }
        CreateContainerCmd create = client.createContainerCmd(image)
                .withEntrypoint("sleep")
                .withCmd("infinity")
                .withWorkingDir(workingDir)
                .withEnv(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                .withLabels(ContainerLabels.of(labels, owner))
                .withHostConfig(host);
        return create.exec().getId();
    }

    private void fill(DockerClient client, String containerId, ContainerExec exec, String imageUser) {
        RepositoryLoader loader = new RepositoryLoader(client, containerId, exec, workingDir);
        if (copyFrom != null) {
            loader.copyDirectory(copyFrom);
        }
        if (repository != null) {
            boolean onHost = cloneMode == CloneMode.ON_HOST
                    || cloneMode == CloneMode.AUTO && (!network || RepositoryLoader.isHostSource(repository));
            if (onHost) {
                loader.cloneOnHostAndCopy(repository, ref);
            } else {
                loader.cloneInContainer(repository, ref, !isRoot(imageUser));
            }
        }
        if (!isRoot(imageUser)) {
            // The engine creates a missing working directory as root, and copied files arrive as root: the image's
            // user must own what this workspace put there.
            ExecResult owned = exec.runAsRoot(ExecRequest.builder("sh", "-c", "mkdir -p -- \"$1\""
                    + " && chown -R -- \"$2\" \"$1\"", "magpie-workdir", workingDir, imageUser).build(), "/");
            if (!owned.succeeded()) {
                throw new WorkspaceException("Could not give the working directory " + workingDir + " to user '"
                        + imageUser + "' of image '" + image + "': " + owned.stderr().strip());
            }
        }
    }

    private static boolean isRoot(String user) {
        return user.isEmpty() || user.equals("root") || user.startsWith("root:") || user.equals("0")
                || user.startsWith("0:");
    }
}
