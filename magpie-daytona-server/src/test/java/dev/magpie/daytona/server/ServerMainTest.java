package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The command-line options of the standalone server. */
class ServerMainTest {

    @Test
    void parsesEveryFaultSpec() {
        Fault status = ServerMain.fault("status=409,times=3,method=DELETE,path=/api/sandbox/.*");
        Fault limited = ServerMain.fault("rate-limit=sandbox-create,retry-after=5,times=2");
        Fault drop = ServerMain.fault("drop-reply,method=POST,path=/api/sandbox");
        Fault start = ServerMain.fault("start-error=no capacity");
        Fault delay = ServerMain.fault("delay=50ms,path=/toolbox/.*");

        assertThat(status.kind()).isEqualTo(Fault.Kind.STATUS);
        assertThat(status.status()).isEqualTo(409);
        assertThat(status.times()).isEqualTo(3);
        assertThat(status.matches("DELETE", "/api/sandbox/abc", null)).isTrue();
        assertThat(status.matches("GET", "/api/sandbox/abc", null)).isFalse();
        assertThat(limited.bucket()).contains("sandbox-create");
        assertThat(limited.retryAfterSeconds()).isEqualTo(5);
        assertThat(drop.kind()).isEqualTo(Fault.Kind.DROP_REPLY);
        assertThat(start.message()).contains("no capacity");
        assertThat(delay.delay()).isEqualTo(java.time.Duration.ofMillis(50));
        assertThat(delay.matches("GET", "/toolbox/x/work-dir", null)).isTrue();
        assertThat(delay.matches("GET", "/api/sandbox", null)).isFalse();
    }

    @Test
    void explainsBadOptions() {
        assertThatThrownBy(() -> ServerMain.fault("explode")).hasMessageContaining("unknown fault 'explode'");
        assertThatThrownBy(() -> ServerMain.fault("rate-limit=nope")).hasMessageContaining("sandbox-create");
        assertThatThrownBy(() -> ServerMain.configure(DaytonaServer.builder(), new String[] {"--port", "x"}))
                .hasMessageContaining("--port must be a whole number");
        assertThatThrownBy(() -> ServerMain.configure(DaytonaServer.builder(), new String[] {"--bogus", "1"}))
                .hasMessageContaining("unknown option --bogus");
        assertThat(ServerMain.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ServerMain.duration("2s")).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void startsWithTheGivenKeyAndFaults() {
        DaytonaServer.Builder builder = DaytonaServer.builder();
        boolean random = ServerMain.configure(builder, new String[] {"--api-key", "k1", "--start-delay", "1s",
                "--snapshot", "s1", "--fault", "status=500"});
        try (DaytonaServer server = builder.start()) {
            assertThat(random).isFalse();
            assertThat(server.apiKey()).isEqualTo("k1");
            assertThat(server.startDelay()).isEqualTo(Duration.ofSeconds(1));
            assertThat(server.pendingFaults()).hasSize(1);
        }
    }
}
