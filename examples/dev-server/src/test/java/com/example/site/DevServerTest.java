package com.example.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.junit.Sandbox;
import dev.magpie.sandbox.BackgroundProcess;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.ReadyCheck;
import dev.magpie.sandbox.Workspace;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Starts the repository's dev server in a fresh clone, waits until it answers, and checks its pages from the test.
 * The server runs in the background of the sandbox; the sandbox stops it after the test if the test does not.
 */
@EnabledIf(value = "python3OnPath", disabledReason = "needs python3 on the PATH (the site's serve.sh runs it)")
class DevServerTest {

    private static final OkHttpClient HTTP = new OkHttpClient();

    @Test
    void servesTheHomePageAndAnEditShowsAtOnce(@Sandbox(cloneFrom = "acme/site") Workspace sandbox)
            throws IOException {
        int port = freePort(); // local sandboxes share this machine's ports
        BackgroundProcess server = sandbox.start(ExecRequest.builder("sh", "serve.sh")
                .env("PORT", Integer.toString(port)).build());
        server.waitUntilReady(ReadyCheck.http(port, "/"), Duration.ofSeconds(30));
        URI site = sandbox.endpoint(port);

        assertThat(get(site.resolve("/"))).contains("<h1>Widgets</h1>");

        sandbox.writeString("site/index.html", "<h1>Widgets and gizmos</h1>\n");
        assertThat(get(site.resolve("/index.html"))).contains("gizmos");

        ExecResult stopped = server.stop();
        assertThat(stopped.stderr()).as("the server's access log").contains("\"GET /index.html HTTP/1.1\" 200");
    }

    private static String get(URI page) throws IOException {
        try (Response response = HTTP.newCall(new Request.Builder().url(page.toString()).build()).execute()) {
            assertThat(response.code()).as("status of " + page).isEqualTo(200);
            return response.body().string();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static boolean python3OnPath() {
        return Stream.of(System.getenv("PATH").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "python3")));
    }
}
