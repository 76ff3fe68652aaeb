package dev.magpie.daytona.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Create-to-started as the official SDK sees it with a 300 ms start delay: through the event gateway, without
 * it (the SDK's one-second safety poll), and in the SDK's polling mode. Prints the figures; asserts only that
 * every create ended started.
 */
class SdkStartupTest {

    private static final Duration START_DELAY = Duration.ofMillis(300);

    @RegisterExtension
    static final OfficialSdk SDK = new OfficialSdk(builder -> builder.startDelay(START_DELAY));

    @Test
    void reportsCreateToStartedThroughTheGatewayAndWithout() throws IOException {
        JsonNode result = SDK.run("startup.mjs", Map.of("rounds", Integer.getInteger("magpie.sdk.startupRounds", 3)));

        System.out.printf(Locale.ROOT, "SDK create-to-started, start delay %d ms (median of %d):%n",
                START_DELAY.toMillis(), result.path("gateway").path("millis").size());
        for (String mode : List.of("gateway", "noGateway", "polling")) {
            assertThat(SdkLifecycleTest.texts(result.path(mode).path("states"))).as(mode).containsOnly("started");
            System.out.printf(Locale.ROOT, "  %-10s %5d ms  %s%n", mode, median(result.path(mode).path("millis")),
                    result.path(mode).path("millis"));
        }
    }

    private static long median(JsonNode millis) {
        List<Long> sorted = new ArrayList<>();
        millis.forEach(n -> sorted.add(n.asLong()));
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
