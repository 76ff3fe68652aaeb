package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the sandboxes' commands are isolated, and the Daytona paths the server shows with and without isolation. */
class SandboxIsolationTest {

    @TempDir
    Path root;

    @Test
    void isolatedCommandsSeeTheHomeAtHomeDaytonaAndNothingElseOfThisMachinesFiles() throws Exception {
        Path outside = Files.writeString(Files.createDirectory(root.resolve("outside")).resolve("secret.txt"), "s3");
        try (DaytonaServer server = isolated()) {
            ServerCalls calls = new ServerCalls(server);
            String id = calls.started("{\"env\":{\"GREETING\":\"hello\"}}");
            Path home = server.directory(id).orElseThrow();

            assertThat(execute(calls, id, "pwd; echo $HOME $GREETING; echo made > made.txt")).isEqualTo(
                    "/home/daytona\n/home/daytona hello\n");
            assertThat(home.resolve("made.txt")).hasContent("made");
            assertThat(calls.call("GET", "/toolbox/" + id + "/files/download?path=/home/daytona/made.txt", null)
                    .body()).isEqualTo("made\n");
            assertThat(calls.json("GET", "/toolbox/" + id + "/work-dir", null).path("dir").asText())
                    .isEqualTo("/home/daytona");
            assertThat(execute(calls, id, "cat " + outside + " 2>&1; echo x > " + root.resolve("written.txt")
                    + " 2>&1; ls " + home + " 2>&1; echo done")).as("the host's paths, from inside").endsWith("done\n")
                    .doesNotContain("s3");
            assertThat(root.resolve("written.txt")).doesNotExist();
            assertThat(execute(calls, id, "cat /etc/shadow /proc/1/environ 2>/dev/null | wc -c; touch /usr/x 2>&1"
                    + " || echo refused")).as("secrets of this machine, its system directories")
                    .startsWith("0\n").endsWith("refused\n");
        }
    }

    @Test
    void tmpAndBackgroundProcessesLastUntilTheSandboxIsDeleted() throws Exception {
        try (DaytonaServer server = isolated()) {
            ServerCalls calls = new ServerCalls(server);
            String id = calls.started("{}");
            execute(calls, id, "echo kept > /tmp/kept.txt; (sleep 1013 >/dev/null 2>&1 &) ; echo $! > /dev/null");

            assertThat(execute(calls, id, "cat /tmp/kept.txt")).isEqualTo("kept\n");
            assertThat(running("sleep 1013")).as("a background process after its command").isPresent();
            assertThat(calls.call("DELETE", "/api/sandbox/" + id, null).statusCode()).isLessThan(300);
            awaitGone("sleep 1013");
        }
    }

    @Test
    void withoutIsolationTheRepliesAndFileRoutesStillSpeakOfHomeDaytona() throws Exception {
        try (DaytonaServer server = DaytonaServer.builder().isolation("none").root(root).start()) {
            ServerCalls calls = new ServerCalls(server);
            String id = calls.started("{}");
            Path home = server.directory(id).orElseThrow();
            execute(calls, id, "mkdir sub && echo made > sub/made.txt");

            assertThat(server.isolation()).isEqualTo("none");
            assertThat(calls.json("GET", "/toolbox/" + id + "/work-dir", null).path("dir").asText())
                    .isEqualTo("/home/daytona");
            assertThat(calls.call("GET", "/toolbox/" + id + "/files/download?path=/home/daytona/sub/made.txt", null)
                    .body()).isEqualTo("made\n");
            JsonNode cwd = calls.json("POST", "/toolbox/" + id + "/process/execute",
                    "{\"command\":\"pwd\",\"cwd\":\"/home/daytona/sub\"}");
            assertThat(cwd.path("result").asText()).as("what a command still sees").isEqualTo(home.resolve("sub")
                    + "\n");
        }
    }

    @Test
    void anUnknownIsolationIsRefused() {
        assertThatThrownBy(() -> DaytonaServer.builder().isolation("chroot"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("none or namespaces");
    }

    private DaytonaServer isolated() {
        assumeTrue(NamespaceRuntime.unavailable("bwrap").isEmpty(), () -> "bubblewrap cannot make a sandbox here: "
                + NamespaceRuntime.unavailable("bwrap").orElse(""));
        DaytonaServer server = DaytonaServer.builder().isolation("namespaces").root(root.resolve("sandboxes")).start();
        assertThat(server.isolation()).isEqualTo("namespaces");
        return server;
    }

    private static String execute(ServerCalls calls, String id, String command) throws Exception {
        String body = ServerCalls.JSON.writeValueAsString(java.util.Map.of("command", "sh -c '"
                + command.replace("'", "'\\''") + "'"));
        JsonNode reply = calls.json("POST", "/toolbox/" + id + "/process/execute", body);
        return reply.path("result").asText();
    }

    private static Optional<ProcessHandle> running(String commandLine) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").endsWith(commandLine))
                .findFirst();
    }

    private static void awaitGone(String commandLine) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (running(commandLine).isPresent()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("'" + commandLine + "' still runs 10 s after its sandbox was deleted");
            }
            Thread.sleep(20);
        }
    }
}
