package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Command output comes back whole and on time: a background child holding the output open does not hold the
 * reply, and output far larger than the server's heap streams through (the server runs with a 64 MiB heap).
 */
class CommandOutputTest {

    private static final long BIG = 100L << 20;

    @TempDir
    Path root;

    @Test
    void executeRepliesWhenTheShellExitsThoughABackgroundChildHoldsTheOutput() throws Exception {
        try (DaytonaServer server = DaytonaServer.start()) {
            ServerCalls calls = new ServerCalls(server);
            String id = calls.started("{}");
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> reply = calls.call("POST", "/toolbox/" + id + "/process/execute",
                        "{\"command\":\"sleep 30 & echo hi\"}");
                assertThat(reply.statusCode()).as("try " + i + ": " + reply.body()).isEqualTo(200);
                assertThat(ServerCalls.JSON.readTree(reply.body()).path("result").asText()).isEqualTo("hi\n");
            }
        }
    }

    @Test
    void executeStreamsOutputLargerThanTheHeap() throws Exception {
        try (ForkedServer server = ForkedServer.start("64m", root)) {
            ServerCallsForked calls = new ServerCallsForked(server);
            String id = calls.startedSandbox();

            Map<String, Long> fields = stringLengths(calls, "POST", "/toolbox/" + id + "/process/execute",
                    "{\"command\":\"head -c " + BIG + " /dev/zero | tr '\\\\0' x; echo done >&2\"}");

            assertThat(fields).containsEntry("result", BIG + "done\n".length());
        }
    }

    @Test
    void sessionLogsStreamOutputLargerThanTheHeap() throws Exception {
        try (ForkedServer server = ForkedServer.start("64m", root)) {
            ServerCallsForked calls = new ServerCallsForked(server);
            String id = calls.startedSandbox();
            String base = "/toolbox/" + id + "/process/session";
            calls.json("POST", base, "{\"sessionId\":\"s\"}");
            String cmd = calls.json("POST", base + "/s/exec", "{\"command\":\"head -c " + BIG
                    + " /dev/zero | tr '\\\\0' o; head -c " + BIG + " /dev/zero | tr '\\\\0' e >&2\",\"runAsync\":true}")
                    .path("cmdId").asText();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!calls.json("GET", base + "/s/command/" + cmd, null).has("exitCode")) {
                assertThat(System.nanoTime()).as("the command is still running after 2 minutes").isLessThan(deadline);
                Thread.sleep(50);
            }

            Map<String, Long> logs = stringLengths(calls, "GET", base + "/s/command/" + cmd + "/logs", null);

            assertThat(logs).containsEntry("stdout", BIG).containsEntry("stderr", BIG);
            assertThat(logs.get("output")).isGreaterThan(2 * BIG);
        }
    }

    /**
     * The length of each string field of the flat JSON object replied, read as a stream (a JSON parser would hold
     * each string whole): the characters between the quotes, an escape counting as one.
     */
    private static Map<String, Long> stringLengths(ServerCallsForked calls, String method, String path, String body)
            throws Exception {
        HttpResponse<InputStream> reply = ServerCalls.HTTP.send(calls.request(method, path, body).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(reply.statusCode()).isEqualTo(200);
        Map<String, Long> lengths = new LinkedHashMap<>();
        try (InputStream in = new java.io.BufferedInputStream(reply.body(), 1 << 16)) {
            StringBuilder name = null;
            boolean inString = false;
            boolean isValue = false;
            long length = 0;
            int b;
            while ((b = in.read()) >= 0) {
                if (!inString) {
                    if (b == '"') {
                        inString = true;
                        length = 0;
                        if (!isValue) {
                            name = new StringBuilder();
                        }
                    } else if (b == ':') {
                        isValue = true;
                    } else if (b == ',') {
                        isValue = false;
                    }
                } else if (b == '"') {
                    inString = false;
                    if (isValue) {
                        lengths.put(name.toString(), length);
                    }
                } else {
                    if (b == '\\') {
                        in.read();
                    }
                    length++;
                    if (!isValue) {
                        name.append((char) b);
                    }
                }
            }
        }
        return lengths;
    }
}
