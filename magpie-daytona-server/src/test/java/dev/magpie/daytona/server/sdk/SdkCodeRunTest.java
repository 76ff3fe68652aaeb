package dev.magpie.daytona.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The official SDK's {@code process.codeRun} and {@code process.executeCommand} against the local server. */
class SdkCodeRunTest {

    @RegisterExtension
    static final OfficialSdk SDK = new OfficialSdk();

    @Test
    void runsCodeAndCommandsAsTheDaemonDoes() throws IOException {
        JsonNode r = SDK.run("coderun.mjs", Map.of());

        assertThat(r.path("python").path("exitCode").asInt()).isEqualTo(3);
        assertThat(r.path("python").path("result").asText()).contains("args ['one', 'two'] hello\n").contains("oops\n");
        assertThat(r.path("python").path("artifacts").path("stdout").asText())
                .isEqualTo(r.path("python").path("result").asText());
        assertThat(r.path("chart").path("result").asText()).isEqualTo("before\nafter\n");
        assertThat(r.path("chart").path("artifacts").path("charts").get(0).path("title").asText())
                .isEqualTo("Widgets");
        assertThat(r.path("codeTimeout").path("status").asInt()).isEqualTo(408);
        assertThat(r.path("codeTimeout").path("error").asText()).isEqualTo("DaytonaProcessExecutionTimeoutError");

        assertThat(r.path("execute").path("exitCode").asInt()).isEqualTo(4);
        assertThat(r.path("execute").path("result").asText())
                .isEqualTo(r.path("home").asText() + "/sub/dir\nteal\n");
        assertThat(r.path("executeTimeout").path("status").asInt()).isEqualTo(408);
        assertThat(r.path("blank").path("status").asInt()).isEqualTo(400);

        assertThat(r.path("javascript").path("exitCode").asInt()).isZero();
        assertThat(r.path("javascript").path("result").asText()).isEqualTo("x,y hi\n");
    }
}
