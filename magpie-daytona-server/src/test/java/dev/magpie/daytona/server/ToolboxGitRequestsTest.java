package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests to the git and code-run routes that no SDK sends: malformed input is a 400 with the daemon's error
 * body, never a 500, and nothing runs.
 */
class ToolboxGitRequestsTest {

    private static DaytonaServer server;
    private static ServerCalls calls;
    private static String box;

    @BeforeAll
    static void start() throws Exception {
        server = DaytonaServer.builder().start();
        calls = new ServerCalls(server);
        box = "/toolbox/" + calls.started("{}");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void refusesMissingAndMalformedFieldsWith400() throws Exception {
        assertRefused("POST", "/git/clone", "{\"path\":\"repo\"}", 400, "url is required");
        assertRefused("POST", "/git/clone", "{\"url\":\"file:///nowhere\",\"path\":\"repo\",\"depth\":-1}", 400,
                "depth must be a non-negative integer");
        assertRefused("POST", "/git/clone", "{\"url\":{\"a\":1},\"path\":\"repo\"}", 400, "url must be a string");
        assertRefused("GET", "/git/status", null, 400, "path is required");
        assertRefused("POST", "/git/add", "{\"path\":\"repo\",\"files\":\"a.txt\"}", 400, "files is required");
        assertRefused("POST", "/git/reset", "{\"path\":\"repo\",\"mode\":\"sideways\"}", 400,
                "unsupported reset mode 'sideways'");
        assertRefused("POST", "/git/restore", "{\"path\":\"repo\",\"files\":[]}", 400, "at least one path");
        assertRefused("POST", "/git/config", "{\"key\":\"nodot\",\"value\":\"v\"}", 400, "invalid config key");
        assertRefused("POST", "/git/config", "{\"key\":\"a.b\",\"value\":\"v\",\"scope\":\"local\"}", 400,
                "path is required when scope is local");
        assertRefused("POST", "/git/credentials", "{\"username\":\"u\\nx\",\"password\":\"p\"}", 400,
                "must not contain newline");
        assertRefused("POST", "/process/code-run", "{\"code\":\"print(1)\",\"language\":\"cobol\"}", 400,
                "unsupported language: cobol");
        assertRefused("POST", "/process/code-run", "{\"code\":\"print(1)\",\"language\":\"python\","
                + "\"envs\":{\"A-B\":\"x\"}}", 400, "invalid environment variable name: 'A-B'");
        assertRefused("POST", "/process/execute", "{\"command\":\"  \"}", 400, "command cannot be empty");
    }

    @Test
    void refusesARepositoryOrConfigurationOutsideTheSandboxWith403() throws Exception {
        assertRefused("POST", "/git/init", "{\"path\":\"../escape\"}", 403, "outside the sandbox's home");
        assertRefused("GET", "/git/history?path=%2F", null, 403, "outside the sandbox's home");
        assertThat(server.directory(box.substring("/toolbox/".length())).orElseThrow().resolveSibling("escape"))
                .doesNotExist();
        assertRefused("POST", "/git/config", "{\"key\":\"magpie.probe\",\"value\":\"v\",\"scope\":\"system\"}",
                403, "use the global or local scope");
    }

    @Test
    void answersAnUnknownGitRouteWith404() throws Exception {
        assertRefused("GET", "/git/blame?path=repo", null, 404, "No toolbox route GET /git/blame");
    }

    private static void assertRefused(String method, String route, String body, int status, String message)
            throws Exception {
        HttpResponse<String> reply = calls.call(method, box + route, body);
        assertThat(reply.statusCode()).as(method + " " + route + " " + body + ": " + reply.body()).isEqualTo(status);
        JsonNode error = ServerCalls.JSON.readTree(reply.body());
        assertThat(error.path("message").asText()).contains(message);
        assertThat(error.path("source").asText()).isEqualTo("DAYTONA_DAEMON");
    }
}
