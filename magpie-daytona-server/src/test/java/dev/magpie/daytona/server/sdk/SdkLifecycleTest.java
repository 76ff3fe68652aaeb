package dev.magpie.daytona.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The official SDK's sandbox lifecycle against the local server: stop, start, labels, intervals, archive. */
class SdkLifecycleTest {

    @RegisterExtension
    static final OfficialSdk SDK = new OfficialSdk(builder -> builder.startDelay(Duration.ofMillis(100)));

    @Test
    void stopsStartsLabelsAndArchivesASandbox() throws IOException {
        JsonNode result = SDK.run("lifecycle.mjs", Map.of("suite", "lifecycle"));

        assertThat(result.path("stateAfterStop").asText()).isEqualTo("stopped");
        assertThat(result.path("execWhileStopped").path("error").asText()).isNotEqualTo("null");
        assertThat(result.path("stateAfterStart").asText()).isEqualTo("started");
        assertThat(result.path("keptAfterRestart").asText()).isEqualTo("kept\n");
        assertThat(result.path("sessionsAfterRestart").asInt()).isZero();
        assertThat(result.path("sleeperAfterRestart").asText()).isEqualTo("gone");

        assertThat(result.path("labels").path("role").asText()).isEqualTo("db");
        assertThat(texts(result.path("listedDb"))).containsExactly("first");
        assertThat(result.path("listedSuite").asInt()).isEqualTo(2);

        assertThat(texts(result.path("intervals"))).containsExactly("30", "60", "120");
        assertThat(result.path("negativeAutostop").path("status").asInt()).isEqualTo(400);

        assertThat(result.path("archiveWhileStarted").path("status").asInt()).isEqualTo(400);
        assertThat(result.path("stateAfterArchive").asText()).isEqualTo("archived");
        assertThat(result.path("stateAfterArchivedStart").asText()).isEqualTo("started");
        assertThat(result.path("keptAfterArchive").asText()).isEqualTo("kept\n");
        assertThat(result.path("recover").path("status").asInt()).isEqualTo(400);
        assertThat(SDK.server().sandboxIds()).isEmpty();
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
