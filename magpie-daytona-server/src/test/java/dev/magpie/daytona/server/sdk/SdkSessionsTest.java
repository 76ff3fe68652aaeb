package dev.magpie.daytona.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The official SDK's session commands: live followed logs, status, input, and deleting a session. */
class SdkSessionsTest {

    @RegisterExtension
    static final OfficialSdk SDK = new OfficialSdk();

    @Test
    void followsLogsSendsInputAndEndsCommandsWithTheirSession() throws IOException {
        JsonNode result = SDK.run("sessions.mjs", Map.of());

        assertThat(result.path("asyncExitCode").isNull()).isTrue();
        assertThat(result.path("exitCodeWhileRunning").isNull()).as("status read while the logs streamed: %s",
                result).isTrue();
        assertThat(result.path("followedStdout").asText()).isEqualTo("first\nsecond\n");
        assertThat(result.path("followedStderr").asText()).isEqualTo("oops\n");
        assertThat(result.path("status").path("exitCode").asInt()).isEqualTo(3);
        assertThat(result.path("oneShot").path("stdout").asText()).isEqualTo("first\nsecond\n");
        assertThat(result.path("oneShot").path("stderr").asText()).isEqualTo("oops\n");

        assertThat(result.path("inputExitCode").asInt()).isZero();
        assertThat(result.path("inputOutput").asText()).isEqualTo("got hello\n");
        assertThat(result.path("inputAfterExit").path("status").asInt()).isEqualTo(410);

        assertThat(result.path("sleeperAfterDelete").asText()).isEqualTo("gone");
        assertThat(SdkLifecycleTest.texts(result.path("sessions"))).containsExactly("s");
    }
}
