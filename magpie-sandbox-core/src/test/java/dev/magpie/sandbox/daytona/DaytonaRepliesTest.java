package dev.magpie.sandbox.daytona;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Replies of newer and older Daytona versions are read tolerantly. */
class DaytonaRepliesTest {

    private static DaytonaSandbox sandbox(String json) throws Exception {
        return DaytonaSandbox.fromJson(new ObjectMapper().readTree(json));
    }

    @Test
    void unknownStatesAndFieldsAreTransitional() throws Exception {
        assertThat(sandbox("{\"id\":\"a\",\"state\":\"hibernating\",\"brandNewField\":{\"x\":1}}").phase())
                .isEqualTo(DaytonaSandbox.Phase.TRANSITIONAL);
        assertThat(sandbox("{\"id\":\"a\",\"state\":\"pulling_snapshot\"}").phase())
                .isEqualTo(DaytonaSandbox.Phase.TRANSITIONAL);
        assertThat(sandbox("{\"id\":\"a\",\"state\":\"build_failed\",\"errorReason\":\"bad\"}").phase())
                .isEqualTo(DaytonaSandbox.Phase.FAILED);
        assertThat(sandbox("{\"id\":\"a\",\"state\":\"destroying\"}").phase()).isEqualTo(DaytonaSandbox.Phase.GONE);
        assertThat(sandbox("{\"id\":\"a\"}").state()).isEqualTo("unknown");
    }

    @Test
    void readsLabelsAndCreationTime() throws Exception {
        DaytonaSandbox s = sandbox("{\"id\":\"a\",\"state\":\"started\",\"labels\":{\"k\":\"v\"},"
                + "\"createdAt\":\"2026-01-02T03:04:05.000Z\",\"toolboxProxyUrl\":\"https://proxy/toolbox\"}");
        assertThat(s.labels()).containsEntry("k", "v");
        assertThat(s.createdAt()).hasValueSatisfying(t -> assertThat(t.toString()).isEqualTo("2026-01-02T03:04:05Z"));
        assertThat(sandbox("{\"id\":\"a\",\"createdAt\":\"yesterday\"}").createdAt()).isEmpty();
    }

    @Test
    void splitsTheMarkedOutputOfOlderDaemons() throws Exception {
        DaytonaToolbox.Logs logs = LogStream.collect("text/plain", new java.io.ByteArrayInputStream(
                ("\u0001\u0001\u0001out 1\n\u0002\u0002\u0002err\n\u0001\u0001\u0001out 2\n\u0001\u0001x")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(logs.stdout()).isEqualTo("out 1\nout 2\n\u0001\u0001x");
        assertThat(logs.stderr()).isEqualTo("err\n");
        assertThat(logs.output()).isEqualTo("out 1\nerr\nout 2\n\u0001\u0001x");
    }

    @Test
    void readsTheJsonLogsWithEscapesAndSkipsOtherFields() throws Exception {
        DaytonaToolbox.Logs logs = LogStream.collect("application/json", new java.io.ByteArrayInputStream(
                ("{\"extra\":{\"a\":[1,\"}\"]},\"n\":12, \"output\":\"o\",\"stdout\":\"a\\n\\\"\\u00e9\\ud83d\\ude00é\","
                        + "\"stderr\":\"\\ud83d!\",\"t\":true}").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(logs.stdout()).isEqualTo("a\n\"\u00e9\ud83d\ude00\u00e9");
        assertThat(logs.stderr()).isEqualTo("\ufffd!");
        assertThat(logs.output()).isEqualTo("o");
    }

    @Test
    void errorMessagesComeFromTheBodyWhateverItIs() {
        assertThat(Http.messageOf("{\"statusCode\":400,\"message\":\"bad thing\"}")).isEqualTo("bad thing");
        assertThat(Http.messageOf("{\"message\":[\"a\",\"b\"]}")).isEqualTo("[\"a\",\"b\"]");
        assertThat(Http.messageOf("<html>gateway</html>")).isEqualTo("<html>gateway</html>");
        assertThat(Http.messageOf("")).isEmpty();
    }
}
