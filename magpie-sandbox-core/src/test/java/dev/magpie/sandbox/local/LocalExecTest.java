package dev.magpie.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.magpie.sandbox.CommandStartException;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.OutputListener;
import dev.magpie.sandbox.PathOutsideWorkspaceException;
import dev.magpie.sandbox.WorkspaceException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalExecTest {

    @TempDir
    static Path dir;

    static LocalWorkspace workspace;

    @BeforeAll
    static void open() throws Exception {
        Files.createDirectories(dir.resolve("sub/inner"));
        workspace = LocalWorkspace.fromPath(dir, java.util.Map.of("BASE_VAR", "base"));
    }

    @AfterAll
    static void close() {
        workspace.destroy();
    }

    @Test
    void passesEnvironmentSubdirectoryAndStdin() {
        ExecResult result = workspace.exec(ExecRequest.builder("sh", "-c", "echo $BASE_VAR $EXTRA; pwd; cat")
                .env("EXTRA", "extra").subdirectory("sub/inner").stdin("from stdin").build());
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("base extra\n" + workspace.directory().resolve("sub/inner")
                + "\nfrom stdin");
        assertThat(result.duration()).isPositive();
    }

    @Test
    void runsWithoutAShell() {
        ExecResult result = workspace.exec("echo", "$HOME", "a;b", "*");
        assertThat(result.stdout()).isEqualTo("$HOME a;b *\n");
    }

    @Test
    void nonZeroExitIsDataAndSignalDeathIsMinusOne() {
        assertThat(workspace.shell("echo out; echo err >&2; exit 3"))
                .satisfies(r -> assertThat(r.exitCode()).isEqualTo(3))
                .satisfies(r -> assertThat(r.output()).isEqualTo("out\nerr\n"));
        ExecResult killed = workspace.shell("echo before; kill -9 $$; echo after");
        assertThat(killed.exitCode()).isEqualTo(ExecResult.KILLED);
        assertThat(killed.stdout()).isEqualTo("before\n");
        assertThat(killed.timedOut()).isFalse();
        assertThat(workspace.shell("kill -TERM $$").exitCode()).isEqualTo(ExecResult.KILLED);
        // Java reports a signal death as 128 + signal: explicit codes in that range read as signals too.
        assertThat(workspace.shell("exit 130").exitCode()).isEqualTo(ExecResult.KILLED);
        assertThat(workspace.shell("exit 128").exitCode()).isEqualTo(128);
        assertThat(workspace.shell("exit 255").exitCode()).isEqualTo(255);
    }

    @Test
    void programThatCannotStartIsAnExceptionNamingIt() {
        assertThatThrownBy(() -> workspace.exec("no-such-program-xyz", "arg"))
                .isInstanceOf(CommandStartException.class)
                .hasMessageContaining("no-such-program-xyz")
                .satisfies(e -> assertThat(((CommandStartException) e).program()).isEqualTo("no-such-program-xyz"));
    }

    @Test
    void missingOrEscapingSubdirectoryIsRefused() {
        assertThatThrownBy(() -> workspace.exec(ExecRequest.builder("true").subdirectory("nope").build()))
                .isInstanceOf(WorkspaceException.class).hasMessageContaining("nope").hasMessageContaining("does not exist");
        assertThatThrownBy(() -> workspace.exec(ExecRequest.builder("true").subdirectory("../..").build()))
                .isInstanceOf(PathOutsideWorkspaceException.class);
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
        assertThat(result.duration()).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void interruptedCallerKillsTheCommand() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                workspace.shell("echo $$ > interrupted.pid; exec sleep 30");
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        caller.start();
        for (int i = 0; i < 250 && !workspace.exists("interrupted.pid"); i++) {
            Thread.sleep(20);
        }
        Thread.sleep(50);
        caller.interrupt();
        caller.join(5000);
        assertThat(caller.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOf(WorkspaceException.class).hasMessageContaining("Interrupted");
        long pid = Long.parseLong(workspace.readString("interrupted.pid").strip());
        assertThat(Processes.allDead(List.of(pid), Duration.ofSeconds(2))).isTrue();
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
    void timedOutCommandKeepsItsOutputSoFar() {
        ExecResult result = workspace.exec(ExecRequest.builder("sh", "-c", "echo before; echo warn >&2; sleep 30")
                .timeout(Duration.ofMillis(300)).build());
        assertThat(result.timedOut()).isTrue();
        assertThat(result.succeeded()).isFalse();
        assertThat(result.stdout()).isEqualTo("before\n");
        assertThat(result.stderr()).isEqualTo("warn\n");
    }

    @Test
    void returnsPromptlyWhileABackgroundProcessHoldsStdoutAndDestroyKillsIt() throws Exception {
        LocalWorkspace own = LocalWorkspace.fromPath(dir);
        ExecResult result = own.shell("sleep 30 & echo pid $!");
        assertThat(result.exitCode()).isZero();
        assertThat(result.duration()).isLessThan(Duration.ofSeconds(2));
        List<Long> pids = Processes.pids(result.stdout());
        assertThat(pids).hasSize(1);
        assertThat(Processes.running(pids.get(0))).isTrue();
        own.destroy();
        assertThat(Processes.allDead(pids, Duration.ofSeconds(2))).isTrue();
        assertThat(dir).isDirectory();
    }

    @Test
    void boundsOutputKeepingHeadAndTail() {
        ExecResult result = workspace.exec(ExecRequest.builder("seq", "1", "100000").outputLimit(100).build());
        assertThat(result.truncated()).isTrue();
        assertThat(result.stdout()).startsWith("1\n2\n3\n").endsWith("99999\n100000\n")
                .contains("bytes truncated").hasSizeLessThan(200);
        ExecResult small = workspace.exec(ExecRequest.builder("seq", "1", "10").outputLimit(100).build());
        assertThat(small.truncated()).isFalse();
        assertThat(small.stdout()).isEqualTo("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n");
    }

    @Test
    void listenerReceivesLinesWhileTheCommandRuns() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        OutputListener listener = (channel, line) -> {
            lines.add(channel + ":" + line);
            if (line.equals("first")) {
                first.countDown();
            }
        };
        CompletableFuture<ExecResult> running = CompletableFuture.supplyAsync(() -> workspace.exec(
                ExecRequest.builder("sh", "-c", "echo first; echo problem >&2; sleep 1; printf 'last'")
                        .listener(listener).build()));
        assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(running).isNotDone();
        assertThat(running.get(10, TimeUnit.SECONDS).stdout()).isEqualTo("first\nlast");
        assertThat(lines).containsExactlyInAnyOrder("STDOUT:first", "STDERR:problem", "STDOUT:last");
    }

    @Test
    void oneWorkspaceServesManyThreads() {
        List<ExecResult> results = IntStream.range(0, 40).parallel()
                .mapToObj(i -> workspace.exec(ExecRequest.builder("sh", "-c", "cat; echo $N")
                        .env("N", String.valueOf(i)).stdin("in" + i + ":").build()))
                .toList();
        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i).stdout()).isEqualTo("in" + i + ":" + i + "\n");
        }
    }

    @Test
    void largeStdinIsFedWithoutBlockingOutput() {
        byte[] input = "x".repeat(1_000_000).getBytes(StandardCharsets.UTF_8);
        ExecResult result = workspace.exec(ExecRequest.builder("wc", "-c").stdin(input).build());
        assertThat(result.stdout().strip()).isEqualTo("1000000");
        ExecResult ignored = workspace.exec(ExecRequest.builder("true").stdin(input).build());
        assertThat(ignored.exitCode()).isZero();
    }
}
