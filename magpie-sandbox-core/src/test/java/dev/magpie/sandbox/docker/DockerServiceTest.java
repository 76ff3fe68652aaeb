package dev.magpie.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.magpie.sandbox.WorkspaceException;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Where a container's ports are reached from this JVM (the conformance suite runs a server there). */
@EnabledWithDockerEngine
class DockerServiceTest {

    @Test
    void aPortIsReachedAtTheContainersAddress() {
        try (DockerWorkspace ws = DockerWorkspace.builder(DockerEngineCondition.TEST_IMAGE).build()) {
            URI endpoint = ws.endpoint(8080);

            assertThat(endpoint.getScheme()).isEqualTo("http");
            assertThat(endpoint.getPort()).isEqualTo(8080);
            assertThat(ws.exec("sh", "-c", "hostname -I").stdout()).contains(endpoint.getHost());
        }
    }

    @Test
    void aContainerWithoutNetworkRefusesAnEndpointAndSaysWhatToSet() {
        try (DockerWorkspace ws = DockerWorkspace.builder(DockerEngineCondition.TEST_IMAGE).network(false).build()) {
            assertThatThrownBy(() -> ws.endpoint(8080)).isInstanceOf(WorkspaceException.class)
                    .hasMessageContaining("has no network address")
                    .hasMessageContaining("magpie.sandbox.network = host");
        }
    }
}
