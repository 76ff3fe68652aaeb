package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A sandbox stopped (by a request or its auto-stop) while a terminal, followed logs and commands run: every
 * process ends and every WebSocket of the sandbox is closed. WebSockets reach a sandbox by id or name, as REST does.
 */
class StoppedSandboxLeavesNothingTest {

    private static DaytonaServer server;
    private static ServerCalls calls;

    @BeforeAll
    static void start() {
        server = DaytonaServer.builder().intervalMinute(Duration.ofMillis(200)).start();
        calls = new ServerCalls(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aStopEndsTerminalsFollowersAndCommands() throws Exception {
        String id = calls.started("{}");
        try (Busy busy = new Busy(id)) {
            calls.call("POST", "/api/sandbox/" + id + "/stop", null);
            busy.assertEnded();
        }
    }

    @Test
    void anAutoStopEndsTerminalsFollowersAndCommands() throws Exception {
        String id = calls.started("{}");
        try (Busy busy = new Busy(id)) {
            calls.call("POST", "/api/sandbox/" + id + "/autostop/1", null);
            busy.assertEnded();
        }
    }

    @Test
    void commandsStartedWhileTheSandboxStopsDoNotOutliveIt() throws Exception {
        String id = calls.started("{}");
        List<CompletableFuture<String>> executes = new ArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(16);
        for (int i = 0; i < 16; i++) {
            executes.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return calls.call("POST", "/toolbox/" + id + "/process/execute",
                            "{\"command\":\"sleep 598\",\"timeout\":600}").body();
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, callers));
        }
        callers.shutdown();
        calls.call("POST", "/api/sandbox/" + id + "/stop", null);
        for (CompletableFuture<String> execute : executes) {
            assertThat(execute.get(20, TimeUnit.SECONDS)).as("each execute's reply").isNotNull();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (ProcessHandle.current().descendants().anyMatch(StoppedSandboxLeavesNothingTest::isSleep598)) {
            assertThat(System.nanoTime()).as("no command left 20 s after the stop").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static boolean isSleep598(ProcessHandle process) {
        return process.info().commandLine().orElse("").contains("sleep 598");
    }

    @Test
    void aSandboxCanBeReachedOverWebSocketsByItsName() throws Exception {
        // a name that also occurs inside "/toolbox/"
        calls.started("{\"name\":\"box\"}");
        try (RawWebSocket pty = RawWebSocket.connect(server.port())) {
            assertThat(pty.upgrade("/toolbox/box/process/pty/create-connect?id=named",
                    "Authorization: Bearer " + server.apiKey())).contains("101");
        }
    }

    /** A terminal, a followed command, a running execute: all of one sandbox's kinds of live work. */
    private static final class Busy implements AutoCloseable {

        private final RawWebSocket pty;
        private final RawWebSocket logs;
        private final CompletableFuture<Integer> execute;

        Busy(String id) throws Exception {
            String auth = "Authorization: Bearer " + server.apiKey();
            calls.call("POST", "/toolbox/" + id + "/process/session", "{\"sessionId\":\"s\"}");
            String cmd = calls.json("POST", "/toolbox/" + id + "/process/session/s/exec",
                    "{\"command\":\"echo started; sleep 600\",\"runAsync\":true}").path("cmdId").asText();
            logs = RawWebSocket.connect(server.port());
            assertThat(logs.upgrade("/toolbox/" + id + "/process/session/s/command/" + cmd + "/logs?follow=true",
                    auth)).contains("101");
            assertThat(logs.read().text()).contains("started");
            pty = RawWebSocket.connect(server.port());
            assertThat(pty.upgrade("/toolbox/" + id + "/process/pty/create-connect?id=t", auth)).contains("101");
            assertThat(pty.readText()).contains("connected");
            execute = CompletableFuture.supplyAsync(() -> {
                try {
                    return calls.call("POST", "/toolbox/" + id + "/process/execute",
                            "{\"command\":\"sleep 599\",\"timeout\":600}").statusCode();
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (ProcessHandle.current().descendants()
                    .noneMatch(p -> p.info().commandLine().orElse("").contains("sleep 599"))) {
                assertThat(System.nanoTime()).as("the execute's sleep running within 20 s").isLessThan(deadline);
                Thread.sleep(20);
            }
        }

        void assertEnded() throws Exception {
            assertThat(ended(logs)).as("the followed logs' socket ends").isTrue();
            assertThat(ended(pty)).as("the terminal's socket ends").isTrue();
            assertThat(execute.get(20, TimeUnit.SECONDS)).as("the execute's reply")
                    .isNotZero();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (ProcessHandle.current().descendants().count() > 0) {
                assertThat(System.nanoTime()).as("no process left 20 s after the stop: "
                        + ProcessHandle.current().descendants().map(p -> p.info().commandLine().orElse("?"))
                        .toList()).isLessThan(deadline);
                Thread.sleep(20);
            }
        }

        private static boolean ended(RawWebSocket client) throws IOException {
            try {
                while (client.read().opcode() != 8) {
                    // output before the end
                }
                return true;
            } catch (EOFException e) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            pty.close();
            logs.close();
        }
    }
}
