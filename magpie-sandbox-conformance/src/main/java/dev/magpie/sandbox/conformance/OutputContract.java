package dev.magpie.sandbox.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.OutputListener;
import dev.magpie.sandbox.Workspace;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a result keeps of the output (head and tail past the limit) and what the listener hears. */
public interface OutputContract extends ConformanceFixture {

    @Test
    default void outputPastTheLimitKeepsTheHeadAndTheTailOfEachStream() {
        ExecResult result = workspace().exec(ExecRequest.builder("sh", "-c", "seq 1 100000; seq 1 50000 >&2")
                .outputLimit(100).build());

        assertThat(result.exitCode()).isZero();
        assertThat(result.truncated()).isTrue();
        assertThat(result.stdout()).startsWith("1\n2\n3\n").endsWith("99999\n100000\n").contains("bytes truncated")
                .hasSizeLessThan(200);
        assertThat(result.stderr()).startsWith("1\n2\n3\n").endsWith("49999\n50000\n").contains("bytes truncated")
                .hasSizeLessThan(200);
    }

    @Test
    default void outputWithinTheLimitIsKeptWholeAndNotTruncated() {
        ExecResult result = workspace().exec(ExecRequest.builder("seq", "1", "10").outputLimit(21).build());

        assertThat(result.truncated()).isFalse();
        assertThat(result.stdout()).isEqualTo("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n");
    }

    @Test
    default void theListenerHearsEveryLineWithItsChannelAndNoTerminator() {
        List<String> heard = new CopyOnWriteArrayList<>();

        ExecResult result = workspace().exec(ExecRequest.builder("sh", "-c",
                        "echo one; echo problem >&2; echo two; printf 'unterminated'")
                .listener((channel, line) -> heard.add(channel + ":" + line)).build());

        assertThat(result.stdout()).isEqualTo("one\ntwo\nunterminated");
        assertThat(heard).containsExactlyInAnyOrder("STDOUT:one", "STDERR:problem", "STDOUT:two",
                "STDOUT:unterminated");
        assertThat(heard.stream().filter(l -> l.startsWith("STDOUT"))).containsExactly("STDOUT:one", "STDOUT:two",
                "STDOUT:unterminated");
    }

    @Test
    default void aSlowListenerLosesNoOutput() {
        // The listener holds up the reading of the output well past the command's end, as a starved CPU would.
        List<String> heard = new CopyOnWriteArrayList<>();

        ExecResult result = workspace().exec(ExecRequest.builder("sh", "-c", "echo one; sleep 0.05; echo two; echo three")
                .listener((channel, line) -> {
                    heard.add(line);
                    if (line.equals("one")) {
                        try {
                            Thread.sleep(600);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }).build());

        assertThat(result.stdout()).isEqualTo("one\ntwo\nthree\n");
        assertThat(heard).containsExactly("one", "two", "three");
    }

    @Test
    default void theListenerHearsEveryLineEvenPastTheOutputLimit() {
        List<String> heard = new CopyOnWriteArrayList<>();

        ExecResult result = workspace().exec(ExecRequest.builder("seq", "1", "2000").outputLimit(50)
                .listener((channel, line) -> heard.add(line)).build());

        assertThat(result.truncated()).isTrue();
        assertThat(heard).hasSize(2000).startsWith("1", "2").endsWith("1999", "2000");
    }

    /**
     * The command prints a line, then waits for a file that the test writes only once the listener heard that line:
     * a listener that hears lines only at the end never lets the command end, and the command's own bound (a
     * few hundred tries) fails the test.
     */
    @Test
    default void theListenerHearsLinesWhileTheCommandRuns() throws Exception {
        assumeFollows(Difference.LISTENER_AFTER_EXIT);
        Workspace ws = workspace();
        String dir = "listener-" + UUID.randomUUID();
        ws.writeString(dir + "/.keep", "");
        CountDownLatch first = new CountDownLatch(1);
        List<String> heard = new CopyOnWriteArrayList<>();
        OutputListener listener = (channel, line) -> {
            heard.add(line);
            if (line.equals("first")) {
                first.countDown();
            }
        };

        CompletableFuture<ExecResult> running = CompletableFuture.supplyAsync(() -> ws.exec(ExecRequest.builder(
                        "sh", "-c", "echo first; i=0;"
                                + " while [ ! -e go ] && [ $i -lt 500 ]; do sleep 0.02; i=$((i+1)); done;"
                                + " [ -e go ] && echo last")
                .subdirectory(dir).listener(listener).timeout(Duration.ofSeconds(30)).build()));
        if (!first.await(20, TimeUnit.SECONDS)) {
            fail("The listener heard nothing within 20 s while the command waited; heard " + heard + ", command "
                    + (running.isDone() ? "ended with " + running.get() : "still running"));
        }
        assertThat(running).as("the command waits for the file the test has not written yet").isNotDone();
        ws.writeString(dir + "/go", "");
        ExecResult result = running.get(30, TimeUnit.SECONDS);

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("first\nlast\n");
        assertThat(heard).containsExactly("first", "last");
    }
}
