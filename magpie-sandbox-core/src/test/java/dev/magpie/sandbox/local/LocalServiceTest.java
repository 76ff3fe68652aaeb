package dev.magpie.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.magpie.sandbox.BackgroundProcess;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.NetworkPolicy;
import dev.magpie.sandbox.ReadyCheck;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.ProcessTree;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * Servers started in the background of local workspaces, plain and isolated, called from this JVM; the processes
 * are looked for on this machine after they are stopped, by a variable each test gives them.
 */
class LocalServiceTest {

    private static final Duration READY = Duration.ofSeconds(60);
    private static final OkHttpClient HTTP = new OkHttpClient();

    @Test
    void aPythonDevServerServesTheWorkspaceAndStopsWithoutTrace() throws IOException, InterruptedException {
        try (LocalWorkspace ws = LocalWorkspace.temporary(Map.of())) {
            ws.writeString("site/index.html", "<h1>widgets</h1>\n");
            int port = freePort();
            String mark = UUID.randomUUID().toString();
            BackgroundProcess server = ws.start(ExecRequest.builder("python3", "-m", "http.server",
                    Integer.toString(port), "--bind", "127.0.0.1").subdirectory("site").env("TEST_MARK", mark).build());

            server.waitUntilReady(ReadyCheck.http(port, "/index.html"), READY);

            assertThat(get(ws.endpoint(port).resolve("/index.html"))).isEqualTo("<h1>widgets</h1>\n");
            ExecResult result = server.stop();
            assertThat(result.exitCode()).isEqualTo(ExecResult.KILLED);
            assertThat(result.stderr()).contains("GET /index.html");
            awaitGone(mark);
        }
    }

    @Test
    void anIsolatedServerSharingTheNetworkAnswersAndStopsWithoutTrace() throws IOException, InterruptedException {
        var settings = LocalIsolationEscapeTest.settings(Map.of(NetworkPolicy.KEY, "host"));
        try (LocalWorkspace ws = LocalWorkspace.temporary(Map.of(), settings)) {
            int port = freePort();
            String mark = UUID.randomUUID().toString();
            BackgroundProcess server = ws.start(ExecRequest.builder("perl", "-MIO::Socket::INET", "-e",
                    "my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => $ARGV[0], Listen => 4)"
                            + " or die $!; while (my $c = $s->accept) { while (<$c>) { last if /^\\r?$/ }"
                            + " print $c \"HTTP/1.0 200 OK\\r\\n\\r\\nisolated\";"
                            + " close $c }", Integer.toString(port)).env("TEST_MARK", mark).build());

            server.waitUntilReady(ReadyCheck.port(port), READY);

            assertThat(get(ws.endpoint(port))).isEqualTo("isolated");
            server.stop(Duration.ofSeconds(5));
            awaitGone(mark);
        }
    }

    @Test
    void anIsolatedWorkspaceWithoutNetworkRefusesAnEndpointAndSaysWhatToSet() {
        try (LocalWorkspace ws = LocalWorkspace.temporary(Map.of(), LocalIsolationEscapeTest.ISOLATED)) {
            assertThatThrownBy(() -> ws.endpoint(8080)).isInstanceOf(WorkspaceException.class)
                    .hasMessageContaining("Port 8080 of isolated workspace")
                    .hasMessageContaining("magpie.sandbox.network = none")
                    .hasMessageContaining("Set magpie.sandbox.network = host");
        }
    }

    @Test
    void destroyKillsABackgroundServerAndItsChildren() throws InterruptedException {
        String mark = UUID.randomUUID().toString();
        LocalWorkspace ws = LocalWorkspace.temporary(Map.of());
        BackgroundProcess tree = ws.start(ExecRequest.builder("sh", "-c",
                "trap '' TERM; (trap '' TERM; sleep 1000) & echo started; sleep 1000").env("TEST_MARK", mark).build());
        tree.waitUntilReady(ReadyCheck.line("started"), READY);

        ws.destroy();

        assertThat(tree.isRunning()).isFalse();
        awaitGone(mark);
    }

    private static void awaitGone(String mark) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!ProcessTree.marked("TEST_MARK=" + mark).stream().filter(ProcessHandle::isAlive).toList().isEmpty()) {
            if (System.nanoTime() > deadline) {
                fail("Expected no process left with TEST_MARK=" + mark + " within 10 s, but still: "
                        + ProcessTree.marked("TEST_MARK=" + mark));
            }
            Thread.sleep(20);
        }
    }

    private static String get(URI uri) throws IOException {
        try (Response response = HTTP.newCall(new Request.Builder().url(uri.toString()).build()).execute()) {
            assertThat(response.code()).isEqualTo(200);
            return response.body().string();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
