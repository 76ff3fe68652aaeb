package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * In every runtime (a directory, namespaces through bubblewrap, a Docker container), a command's variables (the
 * sandbox's, the request's, those {@code POST /env} set) reach the command, and no process of this machine shows
 * their values on its command line, which every user can read.
 */
class CommandVariablesTest {

    private static final String IMAGE = "magpie/debian-git:bookworm";

    @ParameterizedTest
    @ValueSource(strings = {"none", "namespaces", "container"})
    void variablesReachTheCommandAndNoCommandLineOfTheMachineShowsThem(String isolation) throws Exception {
        String fromCreate = "create-" + UUID.randomUUID();
        String fromRequest = "request-" + UUID.randomUUID();
        String fromEnv = "env-" + UUID.randomUUID();
        try (DaytonaServer server = server(isolation).start()) {
            ServerCalls calls = new ServerCalls(server);
            String id = calls.started("{\"env\":{\"CREATE_SECRET\":\"" + fromCreate + "\"}}");
            assertThat(calls.call("POST", "/toolbox/" + id + "/env", "{\"set\":{\"ENV_SECRET\":\"" + fromEnv + "\"}}")
                    .statusCode()).isEqualTo(200);
            Path home = server.directory(id).orElseThrow();
            String multiLine = "first line\\nit's " + fromRequest;
            String command = "touch running; while [ ! -e finish ]; do sleep 0.1; done; "
                    + "printf '%s|%s|%s' \\\"$CREATE_SECRET\\\" \\\"$REQUEST_SECRET\\\" \\\"$ENV_SECRET\\\"";
            CompletableFuture<HttpResponse<String>> running = ServerCalls.HTTP.sendAsync(calls.request("POST",
                    "/toolbox/" + id + "/process/execute", "{\"command\":\"" + command + "\",\"envs\":{"
                            + "\"REQUEST_SECRET\":\"" + multiLine + "\"}}").build(),
                    HttpResponse.BodyHandlers.ofString());
            try {
                awaitFile(home.resolve("running"), running);
                List<String> showing = commandLinesShowing(List.of(fromCreate, fromRequest, fromEnv));

                assertThat(showing).as("command lines of this machine holding a secret while the command runs")
                        .isEmpty();
            } finally {
                Files.writeString(home.resolve("finish"), "");
            }
            HttpResponse<String> reply = running.get(60, TimeUnit.SECONDS);
            assertThat(ServerCalls.JSON.readTree(reply.body()).path("result").asText()).as(reply.body())
                    .isEqualTo(fromCreate + "|first line\nit's " + fromRequest + "|" + fromEnv);
            if (isolation.equals("container")) {
                try (DirectoryStream<Path> left = Files.newDirectoryStream(home.resolveSibling(".variables"))) {
                    assertThat(left).as("files that handed the variables over, left after the command").isEmpty();
                }
            }
        }
    }

    /** A server whose sandboxes run their commands so; a case skips where this machine cannot. */
    @ParameterizedTest
    @ValueSource(strings = {"none", "namespaces", "container"})
    void aValueWithANulIsRefusedAndAddsNoOption(String isolation) throws Exception {
        // in bwrap's NUL-separated options, the rest of the value would be options of the caller's choosing
        String injected = "x\\u0000--bind\\u0000/\\u0000/host";
        try (DaytonaServer server = server(isolation).start()) {
            ServerCalls calls = new ServerCalls(server);
            String id = calls.started("{}");

            HttpResponse<String> env = calls.call("POST", "/toolbox/" + id + "/env",
                    "{\"set\":{\"INJECTED\":\"" + injected + "\"}}");
            HttpResponse<String> execute = calls.call("POST", "/toolbox/" + id + "/process/execute",
                    "{\"command\":\"ls /host/etc && touch escaped\",\"envs\":{\"INJECTED\":\"" + injected + "\"}}");

            assertThat(env.statusCode()).isEqualTo(400);
            assertThat(env.body()).contains("cannot hold a NUL character");
            assertThat(execute.body()).contains("failed to start").contains("holds a NUL character");
            assertThat(server.directory(id).orElseThrow().resolve("escaped")).doesNotExist();
        }
    }

    static DaytonaServer.Builder server(String isolation) {
        if (isolation.equals("container")) {
            assumeTrue(DaytonaServer.dockerAvailable(IMAGE), "no Docker engine with image " + IMAGE + " here");
            return DaytonaServer.builder().docker(IMAGE);
        }
        if (isolation.equals("namespaces")) {
            assumeTrue(NamespaceRuntime.unavailable("bwrap").isEmpty(), () -> "bubblewrap cannot make a sandbox "
                    + "here: " + NamespaceRuntime.unavailable("bwrap").orElseThrow());
        }
        return DaytonaServer.builder().isolation(isolation);
    }

    /** Waits until the command made the file; fails early with the reply when the command ended first. */
    private static void awaitFile(Path file, CompletableFuture<HttpResponse<String>> running) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(file)) {
            if (running.isDone()) {
                throw new AssertionError("the command ended before making " + file.getFileName() + ": "
                        + running.get().body());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the command did not make " + file.getFileName() + " within 60 s");
            }
            Thread.sleep(20);
        }
    }

    /** The command lines, of every process of this machine, that hold one of the values. */
    private static List<String> commandLinesShowing(List<String> values) throws IOException {
        List<String> showing = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                String line;
                try {
                    line = new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                } catch (IOException e) {
                    continue; // ended meanwhile
                }
                if (values.stream().anyMatch(line::contains)) {
                    showing.add(process.getFileName() + ": " + line.length() + " characters");
                }
            }
        }
        return showing;
    }
}
