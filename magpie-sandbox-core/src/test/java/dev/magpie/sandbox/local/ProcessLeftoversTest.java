package dev.magpie.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Processes that try to outlive their workspace: daemons in a new session whose environment is empty, so that
 * neither their parentage nor their environment ties them to the command. A timeout, destroy and the sweep of a
 * killed JVM's leftovers each end them all.
 */
class ProcessLeftoversTest {

    /** Five escapes, each appending its pid to pids.txt once it runs; returns when all five have (or after 10 s). */
    static final String ESCAPES = String.join("\n",
            "sleep 1011 & echo $! >> pids.txt",
            "(setsid sh -c 'echo $$ >> pids.txt; exec sleep 1012' </dev/null >/dev/null 2>&1 &)",
            "(setsid env -i sh -c 'echo $$ >> pids.txt; exec sleep 1013' </dev/null >/dev/null 2>&1 &)",
            "(d=$PWD; cd / && setsid env -i sh -c 'echo $$ >> \"$0\"; exec sleep 1014' \"$d/pids.txt\" </dev/null >/dev/null 2>&1 &)",
            "(sh -c '(env -i sh -c \"echo \\$\\$ >> pids.txt; exec sleep 1015\" &) ' </dev/null >/dev/null 2>&1 &)",
            "i=0; while [ \"$(wc -l < pids.txt)\" -lt 5 ] && [ $i -lt 1000 ]; do sleep 0.01; i=$((i+1)); done", "");

    /** A daemon that clears its environment, started by a command that then runs until its timeout. */
    private static final String DAEMON_THEN_WAIT = "(setsid env -i sh -c 'echo $$ > daemon.pid; exec sleep 1016' "
            + "</dev/null >/dev/null 2>&1 &); while [ ! -s daemon.pid ]; do sleep 0.01; done; echo started; sleep 1000";

    @Test
    void aTimeoutKillsADaemonThatClearedItsEnvironment() throws Exception {
        try (LocalWorkspace workspace = LocalWorkspace.temporary(Map.of())) {
            ExecResult result = workspace.exec(ExecRequest.builder("sh", "-c", DAEMON_THEN_WAIT)
                    .timeout(Duration.ofSeconds(2)).build());

            assertThat(result.timedOut()).as("timed out: %s", result).isTrue();
            assertThat(result.stdout()).isEqualTo("started\n");
            long daemon = Long.parseLong(workspace.readString("daemon.pid").strip());
            assertThat(Processes.allDead(List.of(daemon), Duration.ofSeconds(5))).as("daemon %s dead", daemon).isTrue();
        }
    }

    @Test
    void destroyKillsEveryEscapeBeforeDeletingTheDirectory() throws Exception {
        LocalWorkspace workspace = LocalWorkspace.temporary(Map.of());
        Path directory = workspace.directory();
        // The last escape keeps recreating the directory by its absolute path until it is killed.
        workspace.exec(ExecRequest.builder("sh", "-c", ESCAPES + "(setsid env -i sh -c 'while :; do mkdir -p "
                + "\"$0/again\"; sleep 0.01; done' \"$PWD\" </dev/null >/dev/null 2>&1 &)")
                .timeout(Duration.ofSeconds(20)).build());
        List<Long> pids = pids(workspace.readString("pids.txt"));
        assertThat(pids).hasSize(5);

        workspace.destroy();

        assertThat(Processes.allDead(pids, Duration.ofSeconds(5))).as("all of %s dead", pids).isTrue();
        assertThat(Processes.noneRunning(Duration.ofSeconds(5), "sleep", "0.01")).as("the recreating loop dead").isTrue();
        assertThat(directory).doesNotExist();
    }

    @Test
    void theSweepKillsTheProcessesOfAKilledJvm() throws Exception {
        Process owner = probe();
        List<Long> pids;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(owner.getInputStream(),
                StandardCharsets.UTF_8))) {
            pids = pids(lines.readLine().replace(' ', '\n'));
        } finally {
            owner.destroyForcibly().waitFor(); // as kill -9: no shutdown hook runs
        }
        assertThat(pids).hasSize(5);
        assertThat(pids).allMatch(Processes::running);

        Process next = probe("sweep");
        String out = new String(next.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(next.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).isEqualTo("swept\n");

        assertThat(Processes.allDead(pids, Duration.ofSeconds(5))).as("all of %s dead", pids).isTrue();
    }

    private static Process probe(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), LeftoverProbe.class.getName()));
        command.addAll(Arrays.asList(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static List<Long> pids(String lines) {
        return Arrays.stream(lines.strip().split("\n")).map(String::strip).map(Long::parseLong).toList();
    }
}
