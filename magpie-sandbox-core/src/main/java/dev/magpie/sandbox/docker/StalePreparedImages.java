package dev.magpie.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Image;
import dev.magpie.sandbox.internal.JvmIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Removes the prepared images of JVMs of this host that are gone, recognised by the labels they share with the
 * containers ({@link ContainerLabels}); run after the stale containers are removed, which may still use them. Kept
 * images name no JVM and stay.
 */
final class StalePreparedImages {

    private StalePreparedImages() {
    }

    /** Removes every stale prepared image and returns their ids. */
    static List<String> sweep(DockerClient client, JvmIdentity self) {
        List<Image> ours = client.listImagesCmd().withLabelFilter(Map.of(ContainerLabels.OWNER,
                ContainerLabels.OWNER_VALUE)).exec();
        List<String> removed = new ArrayList<>();
        for (Image image : ours) {
            Map<String, String> labels = image.getLabels();
            if (labels == null || !labels.containsKey(PreparedImages.PREPARED)
                    || !self.host().equals(labels.get(ContainerLabels.HOST))) {
                continue;
            }
            Optional<JvmIdentity> owner = JvmIdentity.parse(labels.get(ContainerLabels.HOST),
                    labels.get(ContainerLabels.JVM));
            if (owner.isPresent() && !owner.get().equals(self) && !owner.get().isAlive()) {
                PreparedImages.remove(client, image.getId());
                removed.add(image.getId());
            }
        }
        return removed;
    }
}
