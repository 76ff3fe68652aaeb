package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every process a sandbox started dies with it, however it escaped: a new session ({@code setsid}), a double
 * fork, an empty environment, another directory. Deleting the sandbox, and stopping the server with SIGTERM,
 * both kill them.
 */
class SandboxProcessesTest {

    /** Three escapes, each writing its pid to a file of the sandbox once it runs. */
    private static final String ESCAPES = String.join("\n",
            "setsid sh -c 'echo $$ > p1; cd /; exec sleep 301' </dev/null >/dev/null 2>&1 &",
            "(sh -c 'echo $$ > p2; cd /tmp; exec env -i sleep 302' </dev/null >/dev/null 2>&1 &)",
            "nohup setsid sh -c 'sh -c \"echo \\$\\$ > $PWD/p3; cd /; exec sleep 303\" &' </dev/null >/dev/null 2>&1",
            "echo started", "");

    @TempDir
    Path root;

    @Test
    void deletingTheSandboxKillsProcessesThatLeftItsTree() throws Exception {
        try (DaytonaServer server = DaytonaServer.start()) {
            ServerCalls calls = new ServerCalls(server);
            String id = calls.started("{}");
            Path home = server.directory(id).orElseThrow();
            Files.writeString(home.resolve("escape.sh"), ESCAPES);
            assertThat(calls.json("POST", "/toolbox/" + id + "/process/execute", "{\"command\":\"sh escape.sh\"}")
                    .path("result").asText()).isEqualTo("started\n");
            List<Long> pids = pids(home);
            assertThat(pids).allSatisfy(pid -> assertThat(running(pid)).as("pid " + pid).isTrue());

            assertThat(calls.call("DELETE", "/api/sandbox/" + id, null).statusCode()).isEqualTo(200);

            awaitGone(pids);
        }
    }

    @Test
    void stoppingTheServerKillsEverySandboxsProcesses() throws Exception {
        List<Long> pids;
        try (ForkedServer server = ForkedServer.start("64m", root)) {
            ServerCallsForked calls = new ServerCallsForked(server);
            String id = calls.startedSandbox();
            Path home = root.resolve(id).resolve("home"); // the sandbox's directory under the server's --root
            Files.writeString(home.resolve("escape.sh"), ESCAPES);
            calls.json("POST", "/toolbox/" + id + "/process/execute", "{\"command\":\"sh escape.sh\"}");
            pids = pids(home);

            server.terminate();
        }
        awaitGone(pids);
    }

    /** The pids the escapes wrote, once all three files are there. */
    private static List<Long> pids(Path home) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<Long> pids = new ArrayList<>();
        for (String name : List.of("p1", "p2", "p3")) {
            Path file = home.resolve(name);
            while (!Files.exists(file) || Files.readString(file).isBlank()) {
                assertThat(System.nanoTime()).as(file + " was not written within 20 s").isLessThan(deadline);
                Thread.sleep(10);
            }
            pids.add(Long.parseLong(Files.readString(file).trim()));
        }
        return pids;
    }

    private static void awaitGone(List<Long> pids) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<Long> alive = pids;
        while (!(alive = alive.stream().filter(SandboxProcessesTest::running).toList()).isEmpty()) {
            if (System.nanoTime() > deadline) {
                alive.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
                throw new AssertionError("processes " + alive + " of the sandbox still run 20 s after it went");
            }
            Thread.sleep(10);
        }
    }

    /** Whether the process exists and is not a zombie waiting for a parent that does not reap. */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }
}
