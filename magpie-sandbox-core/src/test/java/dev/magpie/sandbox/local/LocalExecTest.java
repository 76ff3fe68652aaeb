package dev.magpie.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.WorkspaceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What local commands do beyond the contract every provider passes (magpie-sandbox-conformance): daemons and
 * fork loops killed on timeout, interrupted callers, background processes holding stdout, exit codes in the
 * signal range.
 */
class LocalExecTest {

    @TempDir
    static Path dir;

    static LocalWorkspace workspace;

    @BeforeAll
    static void open() throws Exception {
        workspace = LocalWorkspace.fromPath(dir);
    }

    @AfterAll
    static void close() {
        workspace.destroy();
    }

    @Test
    void explicitExitCodesInTheSignalRangeReadAsSignals() {
        // Java reports a signal death as 128 + signal: explicit codes in that range read as signals too.
        assertThat(workspace.shell("exit 130").exitCode()).isEqualTo(ExecResult.KILLED);
        assertThat(workspace.shell("exit 128").exitCode()).isEqualTo(128);
        assertThat(workspace.shell("exit 255").exitCode()).isEqualTo(255);
    }

    @Test
    void timeoutKillsTheWholeTreeIncludingTermIgnoringAndDaemonizedProcesses() throws Exception {
        Files.writeString(dir.resolve("tree.sh"), String.join("\n",
                "sh -c 'trap \"\" TERM; sleep 1000' &",
                "echo pid $!",
                "sh -c 'sh -c \"trap \\\"\\\" TERM; sleep 1000\" & echo pid $!; wait' &",
                "(setsid sh -c 'trap \"\" TERM; sleep 1000' </dev/null >/dev/null 2>&1 & echo pid $!)",
                "echo pid $$",
                "sleep 1000", ""));
        ExecResult result = workspace.exec(ExecRequest.builder("sh", "tree.sh")
                .timeout(Duration.ofMillis(1500)).build());
        assertThat(result.timedOut()).isTrue();
        assertThat(result.exitCode()).isEqualTo(ExecResult.KILLED);
        List<Long> pids = Processes.pids(result.stdout());
        assertThat(pids).hasSize(4);
        assertThat(Processes.allDead(pids, Duration.ofSeconds(2))).as("all of %s dead", pids).isTrue();
    }

    @Test
    void interruptedCallerKillsTheCommand() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                workspace.shell("echo $$ > interrupted.pid; exec sleep 30");
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        caller.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!workspace.exists("interrupted.pid")) {
            if (System.nanoTime() > deadline) {
                fail("The command did not write interrupted.pid within 10 s; caller failed with " + failure.get());
            }
            Thread.sleep(20);
        }
        caller.interrupt();
        caller.join(5000);
        assertThat(caller.isAlive()).as("the caller still waits 5 s after its interrupt").isFalse();
        assertThat(failure.get()).isInstanceOf(WorkspaceException.class).hasMessageContaining("Interrupted");
        long pid = Long.parseLong(workspace.readString("interrupted.pid").strip());
        assertThat(Processes.allDead(List.of(pid), Duration.ofSeconds(2)))
                .as("pid %d dead 2 s after the interrupt", pid).isTrue();
    }

    @Test
    void timeoutStopsACommandThatKeepsForking() throws Exception {
        ExecResult result = workspace.exec(ExecRequest.builder("sh", "-c",
                "while true; do sleep 1001 & sh -c 'sleep 1001 & sleep 1001' & sleep 0.01; done")
                .timeout(Duration.ofMillis(500)).build());
        assertThat(result.timedOut()).isTrue();
        assertThat(Processes.noneRunning(Duration.ofSeconds(2), "sleep", "1001")).as("every sleep 1001 dead").isTrue();
    }

    @Test
    void returnsPromptlyWhileABackgroundProcessHoldsStdoutAndDestroyKillsIt() throws Exception {
        LocalWorkspace own = LocalWorkspace.fromPath(dir);
        ExecResult result = own.shell("sleep 30 & echo pid $!");
        assertThat(result.exitCode()).isZero();
        // The behaviour under test is timing: the output is drained for 200 ms at most once the shell ended, not
        // for the 30 s the background sleep holds stdout. 2 s is ten times what is expected.
        assertThat(result.duration()).isLessThan(Duration.ofSeconds(2));
        List<Long> pids = Processes.pids(result.stdout());
        assertThat(pids).hasSize(1);
        assertThat(Processes.running(pids.get(0))).isTrue();
        own.destroy();
        assertThat(Processes.allDead(pids, Duration.ofSeconds(2))).as("%s dead 2 s after destroy", pids).isTrue();
        assertThat(dir).isDirectory();
    }
}
