package dev.magpie.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import dev.magpie.sandbox.internal.JvmIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Removes containers left behind by JVMs of this host that are gone (killed before they could destroy their
 * workspaces). This replaces Testcontainers' Ryuk, whose image cannot always be pulled. A container of a live JVM,
 * or of another host, is never touched.
 */
final class StaleContainerSweeper {

    private final DockerClient client;
    private final JvmIdentity self;

    StaleContainerSweeper(DockerClient client, JvmIdentity self) {
        this.client = client;
        this.self = self;
    }

    /** Removes every stale container and returns their ids. */
    List<String> sweep() {
        List<Container> ours = client.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(ContainerLabels.OWNER, ContainerLabels.OWNER_VALUE)).exec();
        List<String> removed = new ArrayList<>();
        for (Container container : ours) {
            if (isStale(container.getLabels())) {
                try {
                    client.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
                    removed.add(container.getId());
                } catch (NotFoundException | ConflictException e) {
                    // Removed, or being removed, by another run's sweep at the same time: the goal is reached.
                }
            }
        }
        return removed;
    }

    private boolean isStale(Map<String, String> labels) {
        if (labels == null || !self.host().equals(labels.get(ContainerLabels.HOST))) {
            return false;
        }
        Optional<JvmIdentity> owner = JvmIdentity.parse(labels.get(ContainerLabels.HOST), labels.get(ContainerLabels.JVM));
        return owner.isPresent() && !owner.get().equals(self) && !owner.get().isAlive();
    }
}
