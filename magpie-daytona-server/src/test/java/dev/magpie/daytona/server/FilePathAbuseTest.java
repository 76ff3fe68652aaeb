package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** File and git routes given paths no file can have: each is the request's fault (400), never the server's (500). */
class FilePathAbuseTest {

    private static DaytonaServer server;
    private static ServerCalls calls;

    @BeforeAll
    static void start() {
        server = DaytonaServer.start();
        calls = new ServerCalls(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aPathWithANulIsABadRequestOnEveryRoute() throws Exception {
        String id = calls.started("{}");
        String files = "/toolbox/" + id + "/files";
        calls.call("POST", files + "/folder?path=d&mode=755", null);
        String nul = "a%00b";
        Map<String, HttpResponse<String>> replies = new LinkedHashMap<>();
        replies.put("info", calls.call("GET", files + "/info?path=" + nul, null));
        replies.put("list", calls.call("GET", files + "?path=" + nul, null));
        replies.put("download", calls.call("GET", files + "/download?path=" + nul, null));
        replies.put("delete", calls.call("DELETE", files + "?path=" + nul, null));
        replies.put("folder", calls.call("POST", files + "/folder?path=" + nul + "&mode=755", null));
        replies.put("upload", calls.call("POST", files + "/upload-v2?path=" + nul, "x"));
        replies.put("move", calls.call("POST", files + "/move?source=d&destination=" + nul, null));
        replies.put("permissions", calls.call("POST", files + "/permissions?path=" + nul + "&mode=700", null));
        replies.put("find", calls.call("GET", files + "/find?path=" + nul + "&pattern=x", null));
        replies.put("search", calls.call("GET", files + "/search?path=" + nul + "&pattern=x", null));
        replies.put("replace", calls.call("POST", files + "/replace",
                "{\"files\":[\"a\\u0000b\"],\"pattern\":\"x\",\"newValue\":\"y\"}"));
        replies.put("git init", calls.call("POST", "/toolbox/" + id + "/git/init", "{\"path\":\"a\\u0000b\"}"));

        replies.forEach((route, reply) -> assertThat(reply.statusCode()).as(route + ": " + reply.body())
                .isEqualTo(400));
        HttpResponse<String> bulk = calls.call("POST", files + "/bulk-download", "{\"paths\":[\"a\\u0000b\"]}");
        assertThat(bulk.statusCode()).isEqualTo(200);
        assertThat(bulk.body()).contains("\"statusCode\":400");
    }
}
