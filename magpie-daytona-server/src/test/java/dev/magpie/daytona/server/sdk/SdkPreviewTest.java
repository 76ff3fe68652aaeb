package dev.magpie.daytona.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The official SDK's preview links against the local server (preview.mjs): standard, signed, and expired. */
class SdkPreviewTest {

    @RegisterExtension
    static final OfficialSdk SDK = new OfficialSdk();

    @Test
    void aServiceIsReachedThroughTheStandardAndTheSignedLinkUntilTheSignedOneExpires() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        JsonNode r = SDK.run("preview.mjs", Map.of("port", port));

        assertThat(r.path("standard").path("body").asText()).isEqualTo("served /standard");
        assertThat(r.path("signedPort").asInt()).isEqualTo(port);
        assertThat(r.path("signedToken").asText()).isNotBlank();
        assertThat(r.path("signed").path("status").asInt()).isEqualTo(200);
        assertThat(r.path("signed").path("body").asText()).isEqualTo("served /signed");
        assertThat(r.path("sameAsStandard").asBoolean()).as("a signed URL of its own").isFalse();
        assertThat(r.path("afterExpiry").path("error").asText()).as("the expired URL refused").isNotEmpty();
        assertThat(r.path("standardAfterExpiry").asInt()).as("the standard link still served").isEqualTo(200);
        assertThat(r.path("badExpiry").path("status").asInt()).isEqualTo(400);
    }
}
