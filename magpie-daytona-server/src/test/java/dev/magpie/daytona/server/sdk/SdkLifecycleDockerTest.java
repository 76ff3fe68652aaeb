package dev.magpie.daytona.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.magpie.daytona.server.DaytonaServer;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The lifecycle scenario on sandboxes that are containers: stop removes the container, start makes another. */
class SdkLifecycleDockerTest {

    private static final String IMAGE = "magpie/debian-git:bookworm";

    @RegisterExtension
    static final OfficialSdk SDK = new OfficialSdk(builder -> builder.docker(IMAGE));

    @Test
    void stopsAndStartsAContainerKeepingItsFiles() throws IOException {
        assumeTrue(DaytonaServer.dockerAvailable(IMAGE), "no Docker engine with image " + IMAGE + " here");

        JsonNode result = SDK.run("lifecycle.mjs", Map.of("suite", "docker"));

        assertThat(result.path("stateAfterStop").asText()).isEqualTo("stopped");
        assertThat(result.path("keptAfterRestart").asText()).isEqualTo("kept\n");
        assertThat(result.path("sleeperAfterRestart").asText()).isEqualTo("gone");
        assertThat(result.path("keptAfterArchive").asText()).isEqualTo("kept\n");
        assertThat(SDK.server().sandboxIds()).isEmpty();
    }
}
