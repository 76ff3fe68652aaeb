package dev.magpie.daytona.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.magpie.daytona.server.DaytonaServer;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The official SDK's {@code sandbox.fs} on a local server whose sandboxes are containers: the same scenario as
 * {@link SdkFilesTest}, with the paths Daytona shows ({@code /home/daytona}). Skipped without a Docker engine that
 * has the image.
 */
class SdkFilesDockerTest {

    private static final String IMAGE = "magpie/debian-git:bookworm";

    @RegisterExtension
    static final OfficialSdk SDK = new OfficialSdk(builder -> builder.docker(IMAGE));

    @BeforeAll
    static void requireDocker() {
        assumeTrue(DaytonaServer.dockerAvailable(IMAGE), "no Docker engine with the image " + IMAGE);
    }

    @Test
    void theFileSystemCallsWorkWithDaytonasPaths() throws IOException {
        JsonNode r = SDK.run("files.mjs", Map.of("largeBytes", SdkFilesTest.LARGE_BYTES));

        assertThat(r.path("home").asText()).isEqualTo("/home/daytona");
        SdkFilesTest.assertFileSystemCalls(r);
    }
}
