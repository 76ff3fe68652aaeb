package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A delay fault holds every matching request, and leaves the other faults to apply as before. */
class FaultDelayTest {

    @Test
    void everyMatchingRequestWaitsTheDelayAndOtherFaultsStillApply() throws Exception {
        try (DaytonaServer server = DaytonaServer.builder().start()) {
            ServerCalls calls = new ServerCalls(server);
            server.inject(Fault.delay(Duration.ofMillis(200)).on("GET", "/api/sandbox"));
            server.inject(Fault.status(503).on("GET", "/api/sandbox"));

            long start = System.nanoTime();
            HttpResponse<String> failed = calls.call("GET", "/api/sandbox", null);
            HttpResponse<String> listed = calls.call("GET", "/api/sandbox", null);
            long took = System.nanoTime() - start;

            assertThat(failed.statusCode()).isEqualTo(503);
            assertThat(listed.statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(took)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
            assertThat(server.pendingFaults()).extracting(Fault::kind).containsExactly(Fault.Kind.DELAY);
        }
    }
}
