package dev.magpie.sandbox.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.Workspace;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A timeout ends the command's whole process tree and returns what it printed so far. */
public interface TimeoutContract extends ConformanceFixture {

    /**
     * The command starts a child and a grandchild that ignore SIGTERM, prints {@code ready} once both are known, and
     * waits for ever. The timeout is long enough for that on a loaded machine, and short for the suite's sake.
     */
    @Test
    default void aTimeoutKillsTheWholeTreeAndKeepsTheOutputSoFar() {
        Workspace ws = workspace();
        String dir = "timeout-" + UUID.randomUUID();
        ws.writeString(dir + "/.keep", "");
        String script = String.join("\n",
                "echo $$ > main",
                "sh -c 'trap \"\" TERM; sleep 1000 & echo $! > grandchild; wait' &",
                "echo $! > child",
                "while [ ! -s grandchild ]; do sleep 0.01; done",
                "echo ready; echo warned >&2",
                "sleep 1000");

        ExecResult result = ws.exec(ExecRequest.builder("sh", "-c", script).subdirectory(dir)
                .timeout(Duration.ofSeconds(2)).build());

        assertThat(result.timedOut()).isTrue();
        assertThat(result.exitCode()).isEqualTo(ExecResult.KILLED);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.stdout()).as("the output before the timeout (no 'ready': the machine was too slow to start"
                + " three processes in 2 s)").isEqualTo("ready\n");
        assertThat(result.stderr()).isEqualTo("warned\n");
        assumeFollows(Difference.PROCESSES_PER_COMMAND);
        Poll.until(Duration.ofSeconds(5), "every process of the timed-out command gone", () -> ws.exec(
                ExecRequest.builder("sh", "-c", "for f in main child grandchild; do p=$(cat $f);"
                        + " s=$(cut -d' ' -f3 /proc/$p/stat 2>/dev/null);"
                        + " if [ -n \"$s\" ] && [ \"$s\" != Z ]; then echo \"$f (pid $p, state $s) still runs\"; fi;"
                        + " done").subdirectory(dir).build()).stdout().strip());
    }

    @Test
    default void aCommandThatEndsInTimeIsNotTimedOut() {
        ExecResult result = workspace().exec(ExecRequest.builder("sh", "-c", "echo quick")
                .timeout(Duration.ofSeconds(30)).build());

        assertThat(result.timedOut()).isFalse();
        assertThat(result.succeeded()).isTrue();
        assertThat(result.stdout()).isEqualTo("quick\n");
    }
}
