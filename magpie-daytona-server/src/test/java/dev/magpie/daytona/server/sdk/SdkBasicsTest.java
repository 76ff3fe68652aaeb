package dev.magpie.daytona.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The official SDK's first steps against the local server: create, run a command, paths, delete. */
class SdkBasicsTest {

    @RegisterExtension
    static final OfficialSdk SDK = new OfficialSdk();

    @Test
    void createsRunsAndDeletesASandbox() throws IOException {
        JsonNode result = SDK.run("basics.mjs", Map.of());

        assertThat(result.path("state").asText()).isEqualTo("started");
        assertThat(result.path("exitCode").asInt()).isZero();
        assertThat(result.path("output").asText()).isEqualTo("hello\n");
        assertThat(result.path("listedAfterDelete").asBoolean()).isFalse();
        assertThat(SDK.server().sandboxIds()).isEmpty();
    }
}
