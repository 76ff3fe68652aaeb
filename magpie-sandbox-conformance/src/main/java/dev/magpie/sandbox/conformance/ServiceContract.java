package dev.magpie.sandbox.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.magpie.sandbox.BackgroundProcess;
import dev.magpie.sandbox.CommandStartException;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.InvalidInputException;
import dev.magpie.sandbox.OutputListener;
import dev.magpie.sandbox.ReadyCheck;
import dev.magpie.sandbox.ServiceNotReadyException;
import dev.magpie.sandbox.Transcript;
import dev.magpie.sandbox.Workspace;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * Background processes, readiness and ports: a server started in the background becomes ready, answers this JVM at
 * the workspace's endpoint, and stops without leaving a process; a service that never becomes ready, dies, or finds
 * its port taken fails with its output. The server is {@link TestServer}, which needs {@code perl}.
 */
public interface ServiceContract extends ConformanceFixture {

    /** Long enough for a loaded machine to start a small server; the cases that pass never wait it out. */
    Duration READY = Duration.ofSeconds(60);

    @Test
    default void aServerStartedInTheBackgroundAnswersAtTheEndpointAndStopsWithoutTrace() throws IOException {
        assumeFollows(Difference.NO_ENDPOINT);
        Workspace ws = workspace();
        String dir = directory(ws);
        int port = TestServer.freePort();
        List<String> heard = new CopyOnWriteArrayList<>();
        BackgroundProcess server = ws.start(ExecRequest.builder("sh", "-c", TestServer.script(port))
                .subdirectory(dir).listener((channel, line) -> heard.add(channel + " " + line)).build());

        server.waitUntilReady(ReadyCheck.http(port, "/"), READY);

        assertThat(server.isRunning()).isTrue();
        assertThat(get(ws.endpoint(port).resolve("/index.html"))).isEqualTo("hello\n");
        server.waitUntilReady(ReadyCheck.line("^listening on " + port + "$"), READY); // the logs may come later
        assertThat(heard).contains(OutputListener.Channel.STDOUT + " listening on " + port);
        assertThat(server.recentOutput()).contains("listening on " + port);
        ExecResult result = server.stop(Duration.ofSeconds(5));
        assertThat(result.exitCode()).isEqualTo(ExecResult.KILLED);
        assertThat(result.stdout()).isEqualTo("listening on " + port + "\n");
        assertThat(server.isRunning()).isFalse();
        assumeFollows(Difference.PROCESSES_PER_COMMAND);
        Poll.until(Duration.ofSeconds(10), "every process of the stopped server gone", () -> stillRunning(ws, dir));
    }

    @Test
    default void aServiceThatNeverBecomesReadyFailsWithItsRecentOutput() {
        BackgroundProcess service = workspace().startShell("echo starting up; echo no config found >&2; sleep 1000");
        try {
            // the output first, however slow the machine: the short wait below is the one meant to fail
            service.waitUntilReady(ReadyCheck.line("no config found"), READY);
            assertThatThrownBy(() -> service.waitUntilReady(ReadyCheck.line("^ready$"), Duration.ofSeconds(2)))
                    .isInstanceOfSatisfying(ServiceNotReadyException.class, e -> {
                        assertThat(e.ended()).isFalse();
                        assertThat(e.recentOutput()).contains("starting up").contains("no config found");
                    })
                    .hasMessageContaining("a line matching /^ready$/").hasMessageContaining("within 2000 ms")
                    .hasMessageContaining("still ran").hasMessageContaining("[stderr] no config found");
            assertThat(service.isRunning()).isTrue();
        } finally {
            service.stop(Duration.ZERO);
        }
        assertThat(service.isRunning()).isFalse();
    }

    @Test
    default void aHostileServiceShowsNoSecretAndItsFloodStaysBounded() {
        String secret = "s3cr3t-" + UUID.randomUUID();
        // A secret in stderr, 4 MB in one line, the secret again: no secret may reach a message while the service
        // runs, and what is kept stays bounded.
        BackgroundProcess service = workspace().start(ExecRequest.builder("sh", "-c",
                        "echo \"token is $API_TOKEN\" >&2; head -c 4000000 /dev/zero | tr '\\0' x; echo;"
                                + " echo \"token again $API_TOKEN\" >&2; sleep 1000")
                .env("API_TOKEN", secret).outputLimit(64 * 1024).build());
        ExecResult result;
        try {
            service.waitUntilReady(ReadyCheck.line("token again"), READY);
            assertThatThrownBy(() -> service.waitUntilReady(ReadyCheck.line("^ready$"), Duration.ofSeconds(3)))
                    .isInstanceOfSatisfying(ServiceNotReadyException.class, e -> assertThat(e.recentOutput())
                            .doesNotContain(secret).hasSizeLessThan(1 << 20))
                    .message().doesNotContain(secret);
            assertThat(service.recentOutput()).doesNotContain(secret).hasSizeLessThan(1 << 20);
        } finally {
            result = service.stop(Duration.ZERO);
        }
        // the output is the command's data, as from exec; what is shown of it is masked
        assertThat(result.stderr()).contains("token is");
        assertThat(result.toString()).doesNotContain(secret);
        assertThat(result.stdout().length()).as("stdout kept near the output limit (head, tail and a marker), not 4 MB")
                .isLessThan(2 * 64 * 1024);
        assertThat(result.truncated()).isTrue();
    }

    @Test
    default void aServiceThatEndsBeforeItIsReadyFailsAtOnceWithItsExitCode() {
        BackgroundProcess service = workspace().startShell("echo missing dependency >&2; exit 3");

        assertThatThrownBy(() -> service.waitUntilReady(ReadyCheck.line("listening"), READY))
                .isInstanceOfSatisfying(ServiceNotReadyException.class, e -> assertThat(e.ended()).isTrue())
                .hasMessageContaining("ended before it was ready, with exit code 3")
                .hasMessageContaining("missing dependency");
        assertThat(service.waitFor(Duration.ZERO)).hasValueSatisfying(r -> assertThat(r.exitCode()).isEqualTo(3));
    }

    @Test
    default void aServiceThatDiesDuringTheTestReportsItsEnd() throws IOException {
        assumeFollows(Difference.NO_ENDPOINT);
        Workspace ws = workspace();
        int port = TestServer.freePort();
        BackgroundProcess server = ws.start(ExecRequest.builder("sh", "-c", TestServer.script(port))
                .subdirectory(directory(ws)).build());
        server.waitUntilReady(ReadyCheck.port(port), READY);

        get(ws.endpoint(port).resolve("/exit"));

        ExecResult result = server.waitFor(READY).orElseThrow();
        assertThat(result.exitCode()).isEqualTo(7);
        assertThat(server.isRunning()).isFalse();
        assertThat(server.stop()).isEqualTo(result);
    }

    @Test
    default void aPortAlreadyTakenFailsTheSecondServiceWithItsError() {
        assumeFollows(Difference.NO_ENDPOINT); // commands with networks of their own each have every port
        Workspace ws = workspace();
        int port = TestServer.freePort();
        BackgroundProcess first = ws.start(ExecRequest.builder("sh", "-c", TestServer.script(port))
                .subdirectory(directory(ws)).build());
        try {
            first.waitUntilReady(ReadyCheck.line("listening on " + port), READY);
            BackgroundProcess second = ws.start(ExecRequest.builder("sh", "-c", TestServer.script(port))
                    .subdirectory(directory(ws)).build());

            assertThatThrownBy(() -> second.waitUntilReady(ReadyCheck.line("listening on " + port), READY))
                    .isInstanceOf(ServiceNotReadyException.class)
                    .hasMessageContaining("ended before it was ready")
                    .hasMessageContaining("cannot listen on " + port);
            assertThat(first.isRunning()).isTrue();
        } finally {
            first.stop(Duration.ZERO);
        }
    }

    @Test
    default void aProgramThatCannotStartEndsTheProcessWithTheReason() {
        BackgroundProcess missing = workspace().start(ExecRequest.of("magpie-no-such-program"));
        missing.closeInput(); // whether it comes before or after the failure, it has nothing to close

        assertThatThrownBy(() -> missing.waitFor(READY)).isInstanceOf(CommandStartException.class)
                .hasMessageContaining("magpie-no-such-program");
        assertThatThrownBy(() -> missing.waitUntilReady(ReadyCheck.line("up"), READY))
                .isInstanceOf(ServiceNotReadyException.class)
                .hasMessageContaining("ended before it was ready, failing: Could not start program"
                        + " 'magpie-no-such-program'");
        assertThat(missing.isRunning()).isFalse();
    }

    @Test
    default void aRequestTimeoutKillsABackgroundCommand() {
        BackgroundProcess slow = workspace().start(ExecRequest.builder("sh", "-c", "echo begun; sleep 1000")
                .timeout(Duration.ofSeconds(1)).build());

        ExecResult result = slow.waitFor(READY).orElseThrow();

        assertThat(result.timedOut()).isTrue();
        assertThat(result.stdout()).isEqualTo("begun\n");
    }

    @Test
    default void inputWrittenWhileTheCommandRunsReachesIt() {
        assumeFollows(Difference.NO_LIVE_INPUT);
        BackgroundProcess echo = workspace().startShell("while read -r l; do echo \"got $l\"; done; echo end");

        echo.writeInput("one\n");
        echo.waitUntilReady(ReadyCheck.line("^got one$"), READY);
        echo.writeInput("two\n");
        echo.closeInput();

        ExecResult result = echo.waitFor(READY).orElseThrow();
        assertThat(result.stdout()).isEqualTo("got one\ngot two\nend\n");
        assertThat(result.exitCode()).isZero();
        assertThat(result.command()).as("the command as given, however the provider feeds it")
                .isEqualTo(echo.command());
        assertThat(workspace().transcript().entries()).extracting(Transcript.Entry::commandLine)
                .contains(result.commandLine());
    }

    @Test
    default void inputClosedRightAfterTheStartReachesTheCommand() {
        assumeFollows(Difference.NO_LIVE_INPUT);
        BackgroundProcess cat = workspace().start(ExecRequest.builder("sh", "-c", "cat; echo end").build());

        cat.closeInput();

        ExecResult result = cat.waitFor(READY).orElseThrow(() -> new AssertionError(
                "Expected the command to see the end of its input and end, but it still ran after " + READY));
        assertThat(result.stdout()).isEqualTo("end\n");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    default void inputWrittenAndClosedRightAfterTheStartReachesTheCommandInOrder() {
        assumeFollows(Difference.NO_LIVE_INPUT);
        BackgroundProcess cat = workspace().start(ExecRequest.builder("cat").build());

        cat.writeInput("one\n");
        cat.writeInput("two\n");
        cat.closeInput();

        ExecResult result = cat.waitFor(READY).orElseThrow(() -> new AssertionError(
                "Expected the command to see the end of its input and end, but it still ran after " + READY));
        assertThat(result.stdout()).isEqualTo("one\ntwo\n");
    }

    @Test
    default void inputReachesACommandWithATemporaryDirectoryOfItsOwn() {
        assumeFollows(Difference.NO_LIVE_INPUT);
        Workspace ws = workspace();
        String tmp = ws.exec(ExecRequest.builder("sh", "-c", "mkdir -p \"$1\" && cd \"$1\" && pwd", "sh",
                "tmp-" + UUID.randomUUID()).build()).stdout().strip();
        BackgroundProcess cat = ws.start(ExecRequest.builder("cat").env("TMPDIR", tmp).build());

        cat.writeInput("through\n");
        cat.closeInput();

        ExecResult result = cat.waitFor(READY).orElseThrow(() -> new AssertionError(
                "Expected the command to see the end of its input and end, but it still ran after " + READY));
        assertThat(result.stdout()).isEqualTo("through\n");
    }

    @Test
    default void destroyStopsTheBackgroundProcesses() {
        Workspace ws = fresh(java.util.Map.of());
        BackgroundProcess sleeper = ws.startShell("echo sleeping; sleep 1000");
        sleeper.waitUntilReady(ReadyCheck.line("sleeping"), READY);

        ws.destroy();

        assertThat(sleeper.isRunning()).isFalse();
    }

    @Test
    default void aServiceStoppedOrDestroyedTheMomentItStartsEnds() {
        // no wait between start and the end: the command may not have a process yet when it is signalled
        BackgroundProcess stopped = workspace().startShell("sleep 1717");
        stopped.stop(Duration.ZERO);
        assertThat(stopped.isRunning()).isFalse();
        assertThat(processes(workspace(), "sleep 1717")).as("processes left (pid, state, parent, command)").isEmpty();

        Workspace ws = fresh(java.util.Map.of());
        BackgroundProcess destroyed = ws.startShell("sleep 1718");
        ws.destroy();
        assertThat(destroyed.isRunning()).isFalse();
    }

    @Test
    default void aServiceThatIgnoresSigtermIsKilledAfterTheGracePeriod() {
        // an ignored signal stays ignored across exec: the sleep ignores SIGTERM too
        BackgroundProcess stubborn = workspace().startShell("trap '' TERM; echo ignoring; sleep 1719; echo woke");
        stubborn.waitUntilReady(ReadyCheck.line("ignoring"), READY);

        ExecResult result = stubborn.stop(Duration.ofMillis(300));

        assertThat(stubborn.isRunning()).isFalse();
        assertThat(result.stdout()).isEqualTo("ignoring\n");
        assertThat(result.succeeded()).as("killed, not ended by itself").isFalse();
        assertThat(processes(workspace(), "sleep 1719")).as("processes left (pid, state, parent, command)").isEmpty();
    }

    /** The processes of the workspace's machine whose command line starts with {@code command}, one line each. */
    private static String processes(Workspace ws, String command) {
        return ws.exec("sh", "-c", "for p in /proc/[0-9]*; do c=$(tr '\\0' ' ' < $p/cmdline);"
                + " case \"$c\" in \"$1\"*) echo \"${p#/proc/} $(cut -d' ' -f3,4 $p/stat) $c\";; esac;"
                + " done 2>/dev/null", "sh", command).stdout();
    }

    @Test
    default void anEndpointNeedsAValidPort() {
        assertThatThrownBy(() -> workspace().endpoint(0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("from 1 to 65535, but was 0");
        assertThatThrownBy(() -> ReadyCheck.http(8080, "health")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("must start with '/'");
    }

    private static String directory(Workspace ws) {
        String dir = "service-" + UUID.randomUUID();
        ws.writeString(dir + "/.keep", "");
        return dir;
    }

    /** What is still alive of the server's processes, for a poll; empty when none is. */
    private static String stillRunning(Workspace ws, String dir) {
        return ws.exec(ExecRequest.builder("sh", "-c", "for f in main child; do p=$(cat $f);"
                + " s=$(cut -d' ' -f3 /proc/$p/stat 2>/dev/null);"
                + " if [ -n \"$s\" ] && [ \"$s\" != Z ]; then echo \"$f (pid $p, state $s) still runs\"; fi;"
                + " done").subdirectory(dir).build()).stdout().strip();
    }

    private static String get(URI uri) throws IOException {
        try (Response response = TestServer.HTTP.newCall(new Request.Builder().url(uri.toString()).build()).execute()) {
            assertThat(response.code()).as("status of GET " + uri).isEqualTo(200);
            return response.body().string();
        }
    }
}
