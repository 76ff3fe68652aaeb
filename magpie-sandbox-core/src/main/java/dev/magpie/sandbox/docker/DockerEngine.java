package dev.magpie.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerConfig;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.ProviderUnavailableException;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.JvmIdentity;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.dockerclient.TransportConfig;

/**
 * A connection to the Docker engine of this machine, found and reached through Testcontainers' discovery
 * ({@code DOCKER_HOST}, {@code ~/.testcontainers.properties}, the usual sockets) and its Docker client.
 *
 * <p>Only Testcontainers' transport is used, not its container lifecycle: no Ryuk container is started and no
 * gateway lookup runs, so neither {@code TESTCONTAINERS_RYUK_DISABLED} nor {@code TESTCONTAINERS_HOST_OVERRIDE}
 * is needed. Instead, on first connection this JVM removes the containers that dead JVMs of this host left behind,
 * recognised by their labels. One engine connection is shared by the whole JVM; it is thread-safe.
 */
public final class DockerEngine {

    /** How long the engine may take to answer a ping before it counts as absent. */
    public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(3);

    // One HTTP client per engine for the whole JVM, like one shared OkHttpClient; and the clean-up of dead
    // JVMs' containers must run once per JVM. A failed connection is not remembered: an engine started later
    // in the same JVM is found on the next call.
    private static final Object LOCK = new Object();
    private static volatile DockerEngine shared;

    private final DockerClient client;
    private final URI endpoint;
    private final JvmIdentity owner;

    private DockerEngine(DockerClient client, URI endpoint, JvmIdentity owner) {
        this.client = client;
        this.endpoint = endpoint;
        this.owner = owner;
        sweepStale(); // what dead JVMs left, removed once per JVM
    }

    /**
     * The engine of this machine, connected on first use.
     *
     * @throws ProviderUnavailableException when no engine answers within {@code probeTimeout}, with the
     *     endpoints tried and why each failed
     */
    public static DockerEngine connect(Duration probeTimeout) {
        DockerEngine engine = shared;
        if (engine != null) {
            return engine;
        }
        synchronized (LOCK) {
            if (shared == null) {
                shared = open(System.getenv(), probeTimeout);
            }
            return shared;
        }
    }

    private static DockerEngine open(Map<String, String> environment, Duration probeTimeout) {
        EngineProbe.Result probe = EngineProbe.probe(environment, probeTimeout);
        if (probe.endpoint().isEmpty()) {
            throw new ProviderUnavailableException(ProviderId.DOCKER, "no Docker engine answered ("
                    + String.join("; ", probe.failures()) + "). Start one (for example with .ci/docker-setup), "
                    + "or point DOCKER_HOST at it.");
        }
        TransportConfig transport;
        DockerClient client;
        try {
            transport = DockerClientFactory.instance().getTransportConfig();
            client = DockerClientProviderStrategy.getClientForConfig(transport);
        } catch (RuntimeException e) {
            throw new ProviderUnavailableException(ProviderId.DOCKER, "the engine at " + probe.endpoint().get()
                    + " answered a ping, but Testcontainers could not connect to it: " + e.getMessage());
        }
        try {
            return new DockerEngine(client, transport.getDockerHost(), JvmIdentity.current());
        } catch (DockerException e) {
            throw new WorkspaceException("Could not remove the containers that dead JVMs left on the engine at "
                    + transport.getDockerHost() + ": " + e.getMessage() + ". Remove them with: docker rm -f"
                    + " $(docker ps -aq --filter label=" + ContainerLabels.OWNER + ")", e);
        }
    }

    /** Removes the containers, then the prepared images, that JVMs that have ended left on this engine. */
    List<String> sweepStale() {
        List<String> removed = new java.util.ArrayList<>(new StaleContainerSweeper(client, owner).sweep().stream()
                .map(id -> "container " + id).toList());
        StalePreparedImages.sweep(client, owner).forEach(id -> removed.add("prepared image " + id));
        return removed;
    }

    /** Where the engine listens, such as {@code unix:///var/run/docker.sock}. */
    public URI endpoint() {
        return endpoint;
    }

    /** Whether the engine holds the image; nothing is pulled. */
    public boolean hasImage(String image) {
        return imageUser(image).isPresent();
    }

    /** Whether the engine still has a container, running or not: to check that a workspace was removed. */
    public boolean hasContainer(String id) {
        try {
            client.inspectContainerCmd(id).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** The user an image runs as ({@code ""} for the default, root), or empty when the engine lacks the image. */
    Optional<String> imageUser(String image) {
        try {
            ContainerConfig config = client.inspectImageCmd(image).exec().getConfig();
            return Optional.of(config == null || config.getUser() == null ? "" : config.getUser().trim());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    DockerClient client() {
        return client;
    }

    JvmIdentity owner() {
        return owner;
    }
}
