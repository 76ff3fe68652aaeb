package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A Docker sandbox's preview: closed when the sandbox stops, and reaching it where it runs after a restart. */
class PreviewPortsDockerTest {

    private static final String IMAGE = "magpie/debian-git:bookworm";
    /** Answers every request with its first argument, on port 8080. */
    private static final String SERVE = "use IO::Socket::INET;\n"
            + "my $s = IO::Socket::INET->new(LocalPort => 8080, Listen => 5, ReuseAddr => 1) or die \"listen: $!\";\n"
            + "while (my $c = $s->accept) {\n"
            + "  while (my $l = <$c>) { last if $l =~ /^\\r?\\n$/ }\n"
            + "  print $c \"HTTP/1.1 200 OK\\r\\nContent-Length: \" . length($ARGV[0])"
            + " . \"\\r\\nConnection: close\\r\\n\\r\\n$ARGV[0]\";\n"
            + "  close $c;\n"
            + "}\n";

    @Test
    void aStopClosesTheForwardAndAfterAStartThePreviewReachesTheServiceStartedAnew() throws Exception {
        assumeTrue(DaytonaServer.dockerAvailable(IMAGE), "no Docker engine with image " + IMAGE + " here");
        try (DaytonaServer server = DaytonaServer.builder().docker(IMAGE).start()) {
            ServerCalls calls = new ServerCalls(server);
            String id = calls.started("{}");
            Files.writeString(server.directory(id).orElseThrow().resolve("serve.pl"), SERVE);
            serve(calls, id, "before");
            URI before = preview(calls, id);
            assertThat(awaitAnswer(before)).isEqualTo("before");

            assertThat(calls.call("POST", "/api/sandbox/" + id + "/stop", null).statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> new Socket(before.getHost(), before.getPort()).close())
                    .as("a connection to the stopped sandbox's forward").isInstanceOf(ConnectException.class);
            PreviewPortsTest.awaitNoThread("magpie-preview-8080");
            calls.started("{}"); // may take the stopped container's address, so that the restarted one has another
            assertThat(calls.call("POST", "/api/sandbox/" + id + "/start", null).statusCode()).isEqualTo(200);
            calls.awaitStarted(id);
            serve(calls, id, "after");

            assertThat(awaitAnswer(preview(calls, id))).isEqualTo("after");
        }
    }

    private static void serve(ServerCalls calls, String id, String answer) throws Exception {
        String base = "/toolbox/" + id + "/process/session";
        assertThat(calls.call("POST", base, "{\"sessionId\":\"serve\"}").statusCode()).isEqualTo(201);
        HttpResponse<String> started = calls.call("POST", base + "/serve/exec",
                "{\"command\":\"perl serve.pl " + answer + "\",\"runAsync\":true}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    }

    private static URI preview(ServerCalls calls, String id) throws Exception {
        return URI.create(calls.json("GET", "/api/sandbox/" + id + "/ports/8080/preview-url", null).path("url")
                .asText());
    }

    /** The body of the first 200 through the preview: 502 until the service listens. */
    private static String awaitAnswer(URI url) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<String> last;
        do {
            last = ServerCalls.HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (last.statusCode() == 200) {
                return last.body();
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the preview " + url + " still answers " + last.statusCode() + " (" + last.body()
                + ") after 60 s");
    }
}
