package dev.magpie.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;

/**
 * An image whose {@code USER} is {@code worker} (uid 1234), made from the test image by committing a container (no
 * registry needed), and removed on close.
 */
final class NonRootImage implements AutoCloseable {

    private final DockerClient client;
    private final String setup;
    private final String name;

    NonRootImage(DockerEngine engine) {
        this.client = engine.client();
        String tag = "nonroot-" + System.nanoTime();
        this.name = "magpie/test-user:" + tag;
        this.setup = client.createContainerCmd(DockerEngineCondition.TEST_IMAGE).withEntrypoint("sh")
                .withCmd("-c", "useradd --create-home --uid 1234 worker").exec().getId();
        try {
            client.startContainerCmd(setup).exec();
            assertThat(client.waitContainerCmd(setup).start().awaitStatusCode()).isZero();
            client.commitCmd(setup).withUser("worker").withRepository("magpie/test-user").withTag(tag).exec();
        } catch (RuntimeException | AssertionError e) {
            close();
            throw e;
        }
    }

    String name() {
        return name;
    }

    @Override
    public void close() {
        DockerWorkspace.remove(client, setup);
        try {
            client.removeImageCmd(name).withForce(true).exec();
        } catch (NotFoundException e) {
            // the commit failed: nothing to remove
        }
    }
}
