package dev.magpie.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.magpie.sandbox.CommandStartException;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.OutputListener;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a command sees and reports when it runs through the container's command channel: exactly its own
 * arguments, environment, directory and stdin, its own output only, and the same channel afterwards.
 */
@EnabledWithDockerEngine
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerChannelTest {

    private DockerWorkspace workspace;

    @BeforeAll
    void startContainer() {
        workspace = DockerWorkspace.builder(DockerEngineCondition.TEST_IMAGE).env("FROM_WORKSPACE", "ws").build();
    }

    @AfterAll
    void removeContainer() {
        if (workspace != null) {
            workspace.destroy();
        }
    }

    @Test
    void passesEveryArgumentExactly() {
        List<String> args = List.of("", " ", "two words", "it's", "\"double\"", "a\nb", "trailing\n", "\n",
                "back\\slash", "$HOME", "$(touch /tmp/pwned)", "`touch /tmp/pwned`", "'\"$magpie_nl\"'",
                "${magpie_nl}", "*", "-n", "ünïcödé ✓", "\t tab", "\r\n", "x".repeat(100_000), ";exit 3", "'");
        List<String> command = new ArrayList<>(List.of("printf", "%s\\0"));
        command.addAll(args);

        ExecResult result = workspace.exec(ExecRequest.builder(command.get(0),
                command.subList(1, command.size()).toArray(String[]::new)).build());

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout().split("\0", -1)).containsExactlyElementsOf(withEmptyEnd(args));
        assertThat(workspace.exec("test", "-e", "/tmp/pwned").exitCode()).isEqualTo(1);
    }

    @Test
    void givesEnvironmentAndDirectoryToOneCommandOnly() {
        workspace.writeString("deep/er/marker", "");
        String value = "a'b\nc $FROM_WORKSPACE \"q\" \\";

        ExecResult with = workspace.exec(ExecRequest.builder("sh", "-c",
                        "printf '%s|%s|%s' \"$V\" \"$FROM_WORKSPACE\" \"$(pwd)\"")
                .env("V", value).env("FROM_WORKSPACE", "overridden").subdirectory("deep/er").build());
        ExecResult after = workspace.shell("printf '%s|%s|%s' \"${V-unset}\" \"$FROM_WORKSPACE\" \"$(pwd)\"");

        assertThat(with.stdout()).isEqualTo(value + "|overridden|/workspace/deep/er");
        assertThat(after.stdout()).isEqualTo("unset|ws|/workspace");
    }

    @Test
    void passesVariablesWhoseNamesShellsCannotSet() {
        ExecResult result = workspace.exec(ExecRequest.builder("env").env("spring.profiles.active", "dev")
                .env("WITH-DASH", "x y").env("PLAIN", "p").build());

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout().lines()).contains("spring.profiles.active=dev", "WITH-DASH=x y", "PLAIN=p");
    }

    @Test
    void feedsLargeBinaryStdinExactlyAndIgnoredStdinDoesNotDisturbTheNextCommand() throws Exception {
        byte[] stdin = new byte[1024 * 1024];
        new Random(7).nextBytes(stdin);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stdin));

        ExecResult hashed = workspace.exec(ExecRequest.builder("sha256sum").stdin(stdin).build());
        ExecResult ignored = workspace.exec(ExecRequest.builder("true").stdin(stdin).build());
        ExecResult next = workspace.exec(ExecRequest.builder("sh", "-c", "read line; echo got:$line")
                .stdin("first\nsecond\n".getBytes(StandardCharsets.UTF_8)).build());

        assertThat(hashed.stdout()).startsWith(expected + " ");
        assertThat(ignored.exitCode()).isZero();
        assertThat(next.stdout()).isEqualTo("got:first\n");
    }

    @Test
    void stdinDoesNotStayInTheContainerAfterItsCommand() {
        String secret = "secret-" + UUID.randomUUID();

        workspace.exec(ExecRequest.builder("cat").stdin(secret.getBytes(StandardCharsets.UTF_8)).build());

        assertThat(workspace.shell("grep -rl -- '" + secret + "' /tmp; true").stdout()).isEmpty();
    }

    @Test
    void keepsBinaryAndInvalidUtf8OutputAsTheLocalWorkspacesDo() {
        byte[] printed = {(byte) 0xff, (byte) 0xfe, 'a', 0, 'b', (byte) 0xc3, '\n'};

        ExecResult result = workspace.exec("printf", "\\377\\376a\\000b\\303\\n");

        assertThat(result.stdout()).isEqualTo(new String(printed, StandardCharsets.UTF_8));
    }

    @Test
    void keepsOutputThatLooksLikeTheChannelsMarkers() {
        String fake = "=magpie-" + UUID.randomUUID().toString().replace("-", "") + "=";

        ExecResult result = workspace.shell("printf '%s 0 0\\n=magpie-' '" + fake + "'; printf '=magpie-' >&2");

        assertThat(result.stdout()).isEqualTo(fake + " 0 0\n=magpie-");
        assertThat(result.stderr()).isEqualTo("=magpie-");
    }

    @Test
    void boundsStderrLikeStdout() {
        ExecResult result = workspace.exec(ExecRequest.builder("sh", "-c", "seq 1 100000 >&2; echo out")
                .outputLimit(1000).build());

        assertThat(result.truncated()).isTrue();
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).startsWith("1\n2\n").endsWith("99999\n100000\n").contains("bytes truncated");
    }

    @Test
    void sendsALineToTheListenerWhileTheCommandStillRuns() throws Exception {
        String gate = "/tmp/gate-" + UUID.randomUUID();
        List<String> lines = new CopyOnWriteArrayList<>();
        OutputListener listener = (channel, line) -> lines.add(channel + ":" + line);

        CompletableFuture<ExecResult> running = CompletableFuture.supplyAsync(() -> workspace.exec(
                ExecRequest.builder("sh", "-c", "echo ready; while [ ! -e " + gate + " ]; do sleep 0.05; done;"
                        + " echo done").listener(listener).timeout(Duration.ofSeconds(60)).build()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!lines.contains("STDOUT:ready")) {
            assertThat(System.nanoTime()).as("the first line within 30 s, while the command waits").isLessThan(deadline);
            Thread.sleep(10);
        }

        assertThat(running).isNotDone();
        workspace.exec("touch", gate);
        assertThat(running.get(60, TimeUnit.SECONDS).stdout()).isEqualTo("ready\ndone\n");
        assertThat(lines).containsExactly("STDOUT:ready", "STDOUT:done");
    }

    @Test
    void oneChannelRunsCommandAfterCommandAndOutlivesATimeoutAndAMissingProgram() {
        String channel = parentPid();

        ExecResult timedOut = workspace.exec(ExecRequest.builder("sh", "-c", "echo before; sleep 1000")
                .timeout(Duration.ofSeconds(1)).build());
        assertThatThrownBy(() -> workspace.exec("no-such-program")).isInstanceOf(CommandStartException.class);

        assertThat(timedOut.timedOut()).isTrue();
        assertThat(timedOut.stdout()).isEqualTo("before\n");
        assertThat(IntStream.range(0, 20).mapToObj(i -> parentPid()).distinct()).containsExactly(channel);
    }

    @Test
    void runsManyCommandsFromSeveralThreadsEachWithItsOwnInputAndOutput() {
        List<String> mismatches = IntStream.range(0, 4).parallel().boxed().flatMap(thread ->
                IntStream.range(0, 25).mapToObj(i -> {
                    String id = thread + "-" + i;
                    ExecResult result = workspace.exec(ExecRequest.builder("sh", "-c",
                                    "read in; echo \"$1 $ID $in\"; echo \"err $1\" >&2; exit $2", "sh", id,
                                    Integer.toString(i % 3)).env("ID", id)
                            .stdin((id + "\n").getBytes(StandardCharsets.UTF_8)).build());
                    boolean exact = result.stdout().equals(id + " " + id + " " + id + "\n")
                            && result.stderr().equals("err " + id + "\n") && result.exitCode() == i % 3;
                    return exact ? null : id + ": " + result;
                })).filter(m -> m != null).toList();

        assertThat(mismatches).isEmpty();
    }

    @Test
    void reportsACommandThatClosedItsStdoutEarly() {
        ExecResult result = workspace.shell("echo first; exec >&-; sleep 0.2; echo gone >&2; exit 4");

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.stdout()).isEqualTo("first\n");
        assertThat(result.stderr()).isEqualTo("gone\n");
    }

    @Test
    void aCommandReadingStdinToTheEndSeesTheEnd() {
        ExecResult none = workspace.shell("while read line; do echo \"[$line]\"; done; echo end");
        ExecResult given = workspace.exec(ExecRequest.builder("sh", "-c",
                "while read line; do echo \"[$line]\"; done; echo end").stdin("a\nb\n".getBytes(StandardCharsets.UTF_8))
                .timeout(Duration.ofSeconds(30)).build());

        assertThat(none.stdout()).isEqualTo("end\n");
        assertThat(given.stdout()).isEqualTo("[a]\n[b]\nend\n");
    }

    @Test
    void reportsExitCodesAndSignalDeaths() {
        for (int code : new int[] {0, 1, 2, 125, 126, 127, 128, 200, 255}) {
            assertThat(workspace.shell("exit " + code).exitCode()).as("exit %d", code).isEqualTo(code);
        }
        assertThat(workspace.shell("kill -TERM $$").exitCode()).isEqualTo(ExecResult.KILLED);
        assertThat(workspace.shell("kill -KILL $$").exitCode()).isEqualTo(ExecResult.KILLED);
    }

    @Test
    void outputOfProcessesLeftBehindNeverReachesTheNextCommand() {
        String sync = "/tmp/late-" + UUID.randomUUID();
        ExecResult first = workspace.shell("echo mine; (" + waitFor(sync + ".go") + "; echo late; echo late >&2;"
                + " touch " + sync + ".printed) &");
        ExecResult second = workspace.shell("touch " + sync + ".go; " + waitFor(sync + ".printed") + "; echo next");

        assertThat(first.stdout()).isEqualTo("mine\n");
        assertThat(second.stdout()).isEqualTo("next\n");
        assertThat(second.stderr()).isEmpty();
    }

    @Test
    void outputOfAProcessThatLeftTheSessionNeverReachesTheNextCommand() {
        String sync = "/tmp/escaped-" + UUID.randomUUID();
        ExecResult first = workspace.shell("setsid sh -c '" + waitFor(sync + ".go") + "; echo escaped;"
                + " echo escaped >&2; touch " + sync + ".printed' &");
        ExecResult second = workspace.shell("touch " + sync + ".go; " + waitFor(sync + ".printed") + "; echo next");

        assertThat(first.stdout()).isEmpty();
        assertThat(second.stdout()).isEqualTo("next\n");
        assertThat(second.stderr()).isEmpty();
    }

    /** A shell loop that waits, 10 s at most, until {@code file} exists: the two commands' order, not a sleep. */
    private static String waitFor(String file) {
        return "i=0; while [ ! -e " + file + " ] && [ $i -lt 1000 ]; do sleep 0.01; i=$((i+1)); done";
    }

    @Test
    void aTimeoutKillsOnlyItsOwnCommandNotWhatAnEarlierCommandLeftRunning() {
        String pidFile = "/tmp/daemon-" + UUID.randomUUID();
        workspace.shell("sleep 1000 >/dev/null 2>&1 </dev/null & echo $! > " + pidFile);

        ExecResult timedOut = workspace.exec(ExecRequest.builder("sleep", "1000").timeout(Duration.ofSeconds(1))
                .build());

        assertThat(timedOut.timedOut()).isTrue();
        assertThat(workspace.shell("cut -d' ' -f3 /proc/$(cat " + pidFile + ")/stat").stdout().strip())
                .isIn("S", "R");
        workspace.shell("kill -9 $(cat " + pidFile + ")");
    }

    private String parentPid() {
        return workspace.shell("echo $PPID").stdout().strip();
    }

    private static List<String> withEmptyEnd(List<String> args) {
        List<String> expected = new ArrayList<>(args);
        expected.add("");
        return expected;
    }
}
