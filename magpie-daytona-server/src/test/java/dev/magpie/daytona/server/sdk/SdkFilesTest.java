package dev.magpie.daytona.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The official SDK's {@code sandbox.fs} against the local server, in one scenario (files.mjs). */
class SdkFilesTest {

    @RegisterExtension
    static final OfficialSdk SDK = new OfficialSdk();

    /** Over the 64 KiB copy buffer many times, and not a multiple of it. */
    static final int LARGE_BYTES = 8 * 1024 * 1024 + 3;

    @Test
    void theFileSystemCallsWorkAsOnDaytona() throws IOException {
        assertFileSystemCalls(SDK.run("files.mjs", Map.of("largeBytes", LARGE_BYTES)));
    }

    /** What files.mjs reports when every call behaved as on Daytona, whatever the sandbox's home. */
    static void assertFileSystemCalls(JsonNode r) {
        String home = r.path("home").asText();

        assertThat(r.path("workDir").asText()).isEqualTo(home);
        assertThat(r.path("binaryRelative").asBoolean()).as("binary round trip by a relative path").isTrue();
        assertThat(r.path("binaryAbsolute").asBoolean()).as("binary round trip by an absolute path").isTrue();
        assertError(r.path("missing"), "DaytonaFileNotFoundError", 404);
        assertThat(r.path("oddName").asText()).as("a name with quotes and characters beyond Latin-1").isEqualTo("odd");
        assertThat(r.path("largeIntact").asBoolean()).as("large file round trip").isTrue();
        assertThat(r.path("largeSize").asLong()).isEqualTo(LARGE_BYTES);
        assertThat(r.path("streamedIntact").asBoolean()).as("streamed upload and download").isTrue();

        JsonNode bulk = r.path("bulk");
        assertThat(bulk.get(0).path("text").asText()).isEqualTo("one");
        assertThat(bulk.get(1).path("text").asText()).isEqualTo("two");
        assertThat(bulk.get(2).path("status").asInt()).isEqualTo(404);
        assertThat(bulk.get(2).path("code").asText()).isEqualTo("FILE_NOT_FOUND");
        assertThat(bulk.get(2).path("error").asText()).contains("bulk/absent.txt");
        assertThat(bulk.get(3).path("status").asInt()).isEqualTo(400);
        assertThat(bulk.get(3).path("code").asText()).isEqualTo("INVALID_FILE_PATH");

        assertThat(r.path("folder").path("isDir").asBoolean()).isTrue();
        assertThat(r.path("folder").path("permissions").asText()).isEqualTo("0700");
        assertThat(r.path("folder").path("path").asText()).isEqualTo(home + "/made/inner");
        assertThat(texts(r.path("list"))).containsExactly("bulk", "data", "made");
        assertThat(texts(r.path("deepList"))).containsExactly(home + "/bulk/deep", home + "/bulk/deep/three.txt",
                home + "/bulk/one.txt", home + "/bulk/two.txt");
        assertError(r.path("listMissing"), "DaytonaFileNotFoundError", 404);

        assertThat(r.path("moved").asText()).isEqualTo("one");
        assertError(r.path("moveOntoExisting"), "DaytonaConflictError", 409);
        assertError(r.path("moveMissing"), "DaytonaFileNotFoundError", 404);

        assertThat(r.path("permissions").asText()).isEqualTo("0750");
        assertThat(r.path("modeSeenByCommand").asText()).isEqualTo("750");
        assertError(r.path("unknownOwner"), "DaytonaValidationError", 400);
        assertThat(r.path("unknownOwner").path("message").asText()).contains("no-such-user-magpie");
        assertError(r.path("badMode"), "DaytonaValidationError", 400);

        assertThat(r.path("find").toString()).isEqualTo("[{\"file\":\"bulk/deep/three.txt\",\"line\":2,"
                + "\"content\":\"second TODO\"},"
                + "{\"file\":\"bulk/deep/three.txt\",\"line\":3,\"content\":\"TODO third\"}]");
        assertThat(texts(r.path("search"))).containsExactly(home + "/bulk/deep/three.txt", home + "/bulk/two.txt",
                home + "/made/one.txt");
        assertThat(r.path("replace").get(0).path("success").asBoolean()).isTrue();
        assertThat(r.path("replace").get(1).path("success").asBoolean()).isFalse();
        assertThat(r.path("replace").get(1).path("error").asText()).contains("no such file");
        assertThat(r.path("replaced").asText()).isEqualTo("first\nsecond DONE\nDONE third\n");

        assertError(r.path("deleteDirectoryPlainly"), "DaytonaValidationError", 400);
        assertError(r.path("afterDelete"), "DaytonaFileNotFoundError", 404);

        for (String escape : List.of("escapeRelative", "escapeAbsolute", "escapeUpload", "escapeLink", "escapeMove")) {
            assertThat(r.path(escape).path("status").asInt()).as(escape + ": " + r.path(escape)).isEqualTo(403);
        }
        assertThat(r.path("escapeLink").path("error").asText()).isEqualTo("DaytonaFileAccessDeniedError");
    }

    private static void assertError(JsonNode failure, String type, int status) {
        assertThat(failure.path("error").asText()).as(failure.toString()).isEqualTo(type);
        assertThat(failure.path("status").asInt()).as(failure.toString()).isEqualTo(status);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
