package dev.magpie.daytona.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.magpie.daytona.server.DaytonaServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The official SDK's sandbox information calls (directories, version, resource usage), the toolbox port routes and
 * {@code updateEnv} against the local server (info.mjs).
 */
class SdkInfoTest {

    @RegisterExtension
    static final OfficialSdk SDK = new OfficialSdk();

    @Test
    void reportsDirectoriesVersionPortsAndResourcesAndUpdatesTheEnvironment() throws IOException {
        JsonNode r = SDK.run("info.mjs", Map.of("port", freePortInDaemonRange()));

        assertThat(r.path("workDir").asText()).isEqualTo(r.path("home").asText());
        assertThat(r.path("version").asText()).isEqualTo(DaytonaServer.DAEMON_VERSION);
        assertThat(r.path("freeBefore").asBoolean()).isFalse();
        assertThat(r.path("inUse").asBoolean()).isTrue();
        assertThat(r.path("listed").asBoolean()).isTrue();
        assertThat(r.path("outOfRange").path("status").asInt()).isEqualTo(400);

        JsonNode metrics = r.path("metrics");
        assertThat(metrics.path("cpuCount").asInt()).isPositive();
        assertThat(metrics.path("cpuUsedPct").asDouble()).isBetween(0.0, 100.0);
        assertThat(metrics.path("memUsed").asLong()).isPositive().isLessThan(metrics.path("memTotal").asLong());
        assertThat(metrics.path("diskUsed").asLong()).isPositive()
                .isLessThanOrEqualTo(metrics.path("diskTotal").asLong());

        assertThat(r.path("envSet").asText()).isEqualTo("it's set");
        assertThat(r.path("envRequestWins").asText()).isEqualTo("from the request");
        assertThat(r.path("envInSession").asText()).isEqualTo("it's set");
        assertThat(r.path("envUnset").asText()).isEqualTo("gone");
        assertThat(r.path("envBadName").path("status").asInt()).isEqualTo(400);
    }

    /** A port the daemon accepts checks for (3000 to 9999) that nothing listens on now. */
    private static int freePortInDaemonRange() throws IOException {
        for (int port = 7300; port <= 9999; port++) {
            try (ServerSocket socket = new ServerSocket(port)) {
                return port;
            } catch (IOException e) {
                // taken: the next one
            }
        }
        throw new IOException("no free port between 7300 and 9999 on this machine");
    }
}
