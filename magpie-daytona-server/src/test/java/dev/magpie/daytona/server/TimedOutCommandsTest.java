package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A command the server kills at its timeout (408) leaves no process behind, even one that keeps forking: a child
 * forked while the command's processes are being killed dies with them.
 */
class TimedOutCommandsTest {

    /**
     * Two hundred children, each replaced by a new one as soon as it dies: a kill that takes the children before their
     * parent leaves new ones behind, unless the parent can no longer fork. A few hundred processes at most, where a
     * loop forking without pause would fill the machine's process table.
     */
    private static final String RESPAWNING = "trap 'sleep 100 &' CHLD; i=0; "
            + "while [ $i -lt 200 ]; do sleep 100 & i=$((i + 1)); done; while :; do wait; done";

    @ParameterizedTest
    @ValueSource(strings = {"none", "namespaces", "container"})
    void aTimedOutCommandThatKeepsForkingLeavesNoProcess(String isolation) throws Exception {
        String marker = "MAGPIE_TEST_FORKER=" + UUID.randomUUID();
        try (DaytonaServer server = CommandVariablesTest.server(isolation).start()) {
            ServerCalls calls = new ServerCalls(server);
            String id = calls.started("{}");

            HttpResponse<String> reply = calls.call("POST", "/toolbox/" + id + "/process/execute",
                    "{\"command\":\"" + RESPAWNING + "\",\"timeout\":1,\"envs\":{\""
                            + marker.replace("=", "\":\"") + "\"}}");

            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(408);
            awaitNoneCarrying(marker);
        }
    }

    /** Waits until no process carries the variable; kills those left at the deadline and fails with their count. */
    private static void awaitNoneCarrying(String variable) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<Long> left;
        while (!(left = carrying(variable)).isEmpty()) {
            if (System.nanoTime() > deadline) {
                left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
                throw new AssertionError(left.size() + " processes of the timed-out command still run 20 s after "
                        + "its 408, e.g. " + left.subList(0, Math.min(5, left.size())));
            }
            Thread.sleep(50);
        }
    }

    /** The processes of this machine whose environment holds the variable (a zombie's shows none). */
    private static List<Long> carrying(String variable) throws IOException {
        List<Long> found = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                String environ;
                try {
                    environ = "\0" + new String(Files.readAllBytes(process.resolve("environ")), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    continue; // ended meanwhile, or not ours to read
                }
                if (environ.contains("\0" + variable + "\0")) {
                    found.add(Long.parseLong(process.getFileName().toString()));
                }
            }
        }
        return found;
    }
}
