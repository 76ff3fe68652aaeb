package dev.magpie.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.magpie.sandbox.NetworkPolicy;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.internal.HostGit;
import dev.magpie.sandbox.internal.JvmIdentity;
import dev.magpie.sandbox.internal.PreparedStates;
import dev.magpie.sandbox.internal.SourceCommit;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Prepared container workspaces ({@link dev.magpie.sandbox.Preparation}): a container made as the spec says runs the
 * preparation, is committed to an image {@code magpie-prepared:<key>-<pid>-<startMillis>} carrying the
 * containers' ownership labels (so that a later run removes the image of a JVM that was killed, as it removes its
 * containers), and every workspace of the spec is a container of that image. The image is removed when the JVM
 * exits. Kept ones ({@link dev.magpie.sandbox.Preparation#KEEP_KEY}) are tagged {@code magpie-prepared:<key>}, with no
 * JVM in their labels, and reused by later runs.
 */
final class PreparedImages {

    /** The label of a prepared image: its key. */
    static final String PREPARED = "dev.magpie.sandbox.prepared";
    static final String REPOSITORY = "magpie-prepared";
    /** The JVM label of a kept image: no JVM, so that no sweep takes it for a leftover. */
    private static final String KEPT = "kept";

    private static final PreparedStates<String> STATES = new PreparedStates<>();
    private static final AtomicBoolean CLEANUP = new AtomicBoolean();

    private PreparedImages() {
    }

    static DockerWorkspace create(WorkspaceSpec spec, Settings settings) {
        DockerEngine engine = DockerEngine.connect(settings.getDuration(DockerWorkspaces.PROBE_TIMEOUT_KEY,
                DockerEngine.DEFAULT_PROBE_TIMEOUT));
        String image = DockerWorkspaces.image(spec, settings);
        String imageId;
        try {
            imageId = engine.client().inspectImageCmd(image).exec().getId();
        } catch (NotFoundException e) {
            throw new WorkspaceException("Image '" + image + "' is not on the Docker engine at " + engine.endpoint()
                    + ", and nothing is pulled. Build or pull it first (.ci/docker-setup builds"
                    + " magpie/debian-git:bookworm without a registry).");
        }
        String source = spec.cloneFrom().map(from -> {
            String location = DockerWorkspaces.expandShorthand(from, settings);
            return location + "@" + SourceCommit.resolve(HostGit.standalone(Duration.ofMinutes(10), ProviderId.DOCKER),
                    location, spec.ref().orElse(null));
        }).orElse("empty");
        String key = PreparedStates.key(spec.env(), "docker", spec.prepare().orElseThrow(), source, imageId,
                DockerWorkspaces.workingDir(spec, settings), NetworkPolicy.from(settings).map(Enum::name).orElse(""));
        String tag = STATES.get(key, () -> prepare(engine, spec, settings, image, key));
        return DockerWorkspaces.container(spec, settings, tag).build();
    }

    private static String prepare(DockerEngine engine, WorkspaceSpec spec, Settings settings, String image,
                                  String key) {
        boolean keep = PreparedStates.keep(settings);
        JvmIdentity owner = engine.owner();
        String version = keep ? key : key + "-" + owner.pid() + "-" + owner.startMillis();
        String tag = REPOSITORY + ":" + version;
        if (keep && engine.hasImage(tag)) {
            return tag; // prepared by an earlier run
        }
        WorkspaceSpec unprepared = spec.newBuilder().prepare(null).build();
        try (DockerWorkspace workspace = DockerWorkspaces.create(unprepared, settings)) {
            PreparedStates.run(workspace, spec.prepare().orElseThrow(), settings, "Docker workspace of image '"
                    + image + "'" + spec.cloneFrom().map(c -> " with " + workspace.transcript().redact(c)).orElse(""));
            Map<String, String> labels = ContainerLabels.of(Map.of(PREPARED, key), owner);
            if (keep) {
                labels.put(ContainerLabels.JVM, KEPT);
            }
            engine.client().commitCmd(workspace.id()).withRepository(REPOSITORY).withTag(version)
                    .withLabels(labels).exec();
        } catch (DockerException e) {
            throw new WorkspaceException("Could not commit the prepared container of image '" + image + "' to "
                    + tag + ": " + e.getMessage() + ". Check the engine's free disk space.", e);
        }
        if (!keep && CLEANUP.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> removeAll(engine.client()),
                    "magpie-prepared-images-cleanup"));
        }
        return tag;
    }

    /** Removes this JVM's prepared images; kept ones stay for later runs. */
    private static void removeAll(DockerClient client) {
        for (String tag : STATES.clear()) {
            if (tag.substring(REPOSITORY.length() + 1).contains("-")) { // a JVM's, not a kept one
                remove(client, tag);
            }
        }
    }

    static void remove(DockerClient client, String image) {
        try {
            client.removeImageCmd(image).withForce(true).exec();
        } catch (DockerException e) {
            // Gone already, or still used by a kept container: the next run's sweep removes it with that container.
        }
    }
}
