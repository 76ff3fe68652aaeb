package dev.magpie.daytona.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Auto-stop and auto-delete enforced on the server's clock, seen by the official SDK: an interval minute lasts
 * 300 ms here, so a sandbox idle for its one-minute auto-stop stops, and is deleted one minute later.
 */
class SdkAutoStopTest {

    @RegisterExtension
    static final OfficialSdk SDK = new OfficialSdk(builder -> builder.intervalMinute(Duration.ofMillis(300)));

    @Test
    void anIdleSandboxStopsThenIsDeleted() throws IOException {
        JsonNode result = SDK.run("autostop.mjs", Map.of());

        assertThat(SdkLifecycleTest.texts(result.path("intervals"))).containsExactly("1", "1");
        assertThat(result.path("stateAfterIdle").asText()).isIn("stopped", "destroyed");
        assertThat(result.path("deleted").asBoolean()).as("deleted after the auto-delete interval: %s", result)
                .isTrue();
        assertThat(SDK.server().sandboxIds()).isEmpty();
    }
}
