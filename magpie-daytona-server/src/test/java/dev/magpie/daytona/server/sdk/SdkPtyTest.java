package dev.magpie.daytona.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The official SDK's PTY sessions against the local server: size, variables, input, resize, exit code. */
class SdkPtyTest {

    @RegisterExtension
    static final OfficialSdk SDK = new OfficialSdk();

    @Test
    void runsAnInteractiveShellOnATerminal() throws IOException {
        JsonNode result = SDK.run("pty.mjs", Map.of());

        assertThat(result.path("greeting").asBoolean()).isTrue();
        assertThat(result.path("initialSize").asBoolean()).isTrue();
        assertThat(SdkLifecycleTest.texts(result.path("listed"))).containsExactly("term");
        assertThat(SdkLifecycleTest.texts(result.path("resized"))).containsExactly("120", "40");
        assertThat(result.path("newSize").asBoolean()).isTrue();
        assertThat(result.path("exit").path("exitCode").asInt()).isEqualTo(7);
        assertThat(result.path("infoAfterExit").path("active").asBoolean()).isFalse();
        assertThat(result.path("listedAfterKill").asInt()).isZero();
    }
}
