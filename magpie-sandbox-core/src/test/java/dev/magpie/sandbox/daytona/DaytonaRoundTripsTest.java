package dev.magpie.sandbox.daytona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.daytona.server.DaytonaServer;
import dev.magpie.daytona.server.RecordedExchange;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How many requests a Daytona workspace sends, each a network round trip counted against the rate limits, and
 * that the sessions it keeps between commands leave each command as if it ran alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DaytonaRoundTripsTest {

    @RegisterExtension
    static final LocalDaytona DAYTONA = new LocalDaytona(Duration.ofMillis(150));

    private DaytonaWorkspace shared;

    @BeforeAll
    void createShared() {
        shared = DAYTONA.gitWorkspace();
    }

    @AfterAll
    void destroyShared() {
        shared.destroy();
    }

    @Test
    void aCommandWithoutTimeoutIsOneRequestOnceItsSessionExists() {
        shared.exec("true");
        int before = DAYTONA.exchanges().size();

        ExecResult result = shared.exec(ExecRequest.builder("sh", "-c", "echo out; echo err >&2; exit 3").build());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThat(DAYTONA.exchanges().subList(before, DAYTONA.exchanges().size())).hasSize(1);
    }

    @Test
    void aCommandWithATimeoutIsOneRequestWhenItEndsInTime() {
        shared.exec("true");
        ExecRequest request = ExecRequest.builder("sh", "-c", "echo in-time").timeout(Duration.ofSeconds(30)).build();
        AtomicReference<ExecResult> result = new AtomicReference<>();

        assertThat(requests(() -> result.set(shared.exec(request)))).isEqualTo(1);
        assertThat(result.get().stdout()).isEqualTo("in-time\n");
        assertThat(result.get().timedOut()).isFalse();
    }

    @Test
    void eachFileOperationIsOneRequest() {
        byte[] everyByte = new byte[256];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        AtomicReference<byte[]> read = new AtomicReference<>();
        AtomicReference<List<String>> listed = new AtomicReference<>();
        AtomicReference<Boolean> exists = new AtomicReference<>();

        assertThat(requests(() -> shared.writeFile("trips/every-byte.bin", everyByte))).isEqualTo(1);
        assertThat(requests(() -> read.set(shared.readFile("trips/every-byte.bin")))).isEqualTo(1);
        assertThat(requests(() -> exists.set(shared.exists("trips/every-byte.bin")))).isEqualTo(1);
        assertThat(requests(() -> listed.set(shared.list("trips")))).isEqualTo(1);
        assertThat(requests(() -> shared.delete("trips"))).isEqualTo(1);

        assertThat(read.get()).isEqualTo(everyByte);
        assertThat(exists.get()).isTrue();
        assertThat(listed.get()).containsExactly("every-byte.bin");
        assertThat(shared.exists("trips")).isFalse();
    }

    @Test
    void filesTooLargeToCarryInlineStillRoundTrip() {
        byte[] big = new byte[300 * 1024]; // past the 256 KiB a read carries inline, and what a write does
        new java.util.Random(7).nextBytes(big);
        shared.writeFile("large/big.bin", big);

        assertThat(shared.readFile("large/big.bin")).isEqualTo(big);
        shared.delete("large");
    }

    private static int requests(Runnable operation) {
        int before = DAYTONA.exchanges().size();
        operation.run();
        return DAYTONA.exchanges().size() - before;
    }

    @Test
    void aCommandLeavesNoDirectoryVariableOrExitToTheNextInItsSession() {
        shared.shell("cd /tmp && export LEAKED=yes");
        shared.shell("exit 7");

        ExecResult next = shared.shell("pwd; echo \"${LEAKED:-unset}\"");

        assertThat(next.exitCode()).isZero();
        assertThat(next.stdout()).isEqualTo(shared.workingDir() + "\nunset\n");
    }

    @Test
    void commandsFromSeveralThreadsAtOnceEachGetTheirOwnOutput() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String token = "thread-" + t;
                runs.add(pool.submit(() -> {
                    List<String> wrong = new ArrayList<>();
                    for (int round = 0; round < 15; round++) {
                        String mine = token + "-" + round;
                        ExecResult r = shared.exec("sh", "-c", "echo \"$0\"; sleep 0.01; echo \"$0\" >&2", mine);
                        if (!r.stdout().equals(mine + "\n") || !r.stderr().equals(mine + "\n")) {
                            wrong.add(mine + " got '" + r.stdout() + "' / '" + r.stderr() + "'");
                        }
                    }
                    return wrong;
                }));
            }
            List<String> wrong = new ArrayList<>();
            for (Future<List<String>> run : runs) {
                wrong.addAll(run.get());
            }
            assertThat(wrong).as("commands that got another command's output").isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTimedOutCommandIsKilledAndTheWorkspaceRunsTheNextOne() throws Exception {
        ExecResult slow = shared.exec(ExecRequest.builder("sh", "-c",
                "echo $$ > slow.pid; echo started; echo warned >&2; exec sleep 1000")
                .timeout(Duration.ofSeconds(1)).build());
        assertThat(slow.timedOut()).isTrue();
        assertThat(slow.stdout()).as("the output before the timeout").isEqualTo("started\n");
        assertThat(slow.stderr()).isEqualTo("warned\n");

        String alive = "kill -0 \"$(cat slow.pid)\" 2>/dev/null && echo alive || true";
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!shared.shell(alive).stdout().isEmpty()) {
            assertThat(System.nanoTime()).as("the timed-out command is killed within 5 s").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(shared.exec("echo", "next").stdout()).isEqualTo("next\n");
        shared.delete("slow.pid");
    }

    @Test
    void anInterruptedCallerStopsWaitingAndTheCommandIsKilled() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                shared.shell("echo $$ > interrupted.pid; exec sleep 30");
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        caller.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!shared.exists("interrupted.pid")) {
            assertThat(System.nanoTime()).as("the command writes its pid within 10 s").isLessThan(deadline);
            Thread.sleep(20);
        }
        caller.interrupt();
        caller.join(10_000);

        assertThat(caller.isAlive()).as("the caller still waits 10 s after its interrupt").isFalse();
        assertThat(failure.get()).isInstanceOf(dev.magpie.sandbox.WorkspaceException.class)
                .hasMessageContaining("Interrupted");
        String alive = "kill -0 \"$(cat interrupted.pid)\" 2>/dev/null && echo alive || true";
        deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!shared.shell(alive).stdout().isEmpty()) {
            assertThat(System.nanoTime()).as("the command is killed within 5 s").isLessThan(deadline);
            Thread.sleep(20);
        }
        shared.delete("interrupted.pid");
    }

    @Test
    void aKeptSessionDeletedBehindTheWorkspacesBackIsReplaced() throws Exception {
        try (DaytonaWorkspace ws = DAYTONA.workspace()) {
            ws.exec("true");
            ws.exec(ExecRequest.builder("true").listener((channel, line) -> { }).build());
            java.net.http.HttpResponse<String> listed = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(ws.toolbox().url() + "/process/session"))
                            .header("Authorization", "Bearer " + DAYTONA.server().apiKey())
                            .header("X-Daytona-Source", "test").header("X-Daytona-SDK-Version", Http.SDK_VERSION)
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            List<String> kept = new ArrayList<>();
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(listed.body())
                    .forEach(session -> kept.add(session.path("sessionId").asText()));
            assertThat(kept).isNotEmpty();
            kept.forEach(ws.toolbox()::deleteSession);

            assertThat(ws.exec("echo", "again").stdout()).isEqualTo("again\n");
            kept.forEach(ws.toolbox()::deleteSession);
            ExecResult heard = ws.exec(ExecRequest.builder("echo", "heard").listener((channel, line) -> { }).build());
            assertThat(heard.stdout()).isEqualTo("heard\n");
        }
    }

    @Test
    void waitingForAStartPollsLessOftenAsItGoesOn() {
        DAYTONA.server().startDelay(Duration.ofSeconds(2));
        try {
            DaytonaClient client = DAYTONA.client();
            DaytonaSandbox created = client.create(DaytonaCreateRequest.builder().build());
            client.awaitStarted(created, Duration.ofSeconds(20));
            client.delete(created.id());

            // every 100 ms would be about 20 polls for a 2 s start; growing by a quarter from 100 ms, 9
            assertThat(DAYTONA.exchanges("GET", "/api/sandbox/" + created.id())).hasSizeLessThanOrEqualTo(10);
        } finally {
            DAYTONA.server().startDelay(Duration.ofMillis(150));
        }
    }

    @Test
    void theOrganizationHeaderGoesOnlyWithAJwt() {
        assertThat(organizationHeaders("dtn_0123456789abcdef")).containsOnly("absent");
        assertThat(organizationHeaders("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0In0.c2ln")).containsOnly("org-7");
    }

    private static List<String> organizationHeaders(String key) {
        List<RecordedExchange> seen = new CopyOnWriteArrayList<>();
        try (DaytonaServer server = DaytonaServer.builder().apiKey(key).start()) {
            server.onExchange(seen::add);
            DaytonaClient client = DaytonaClient.of(DaytonaConfig.builder().apiKey(key).apiUrl(server.baseUrl())
                    .organizationId("org-7").owner(LocalDaytona.OWNER).build());
            assertThat(client.find("no-such-sandbox")).isEmpty();
        }
        assertThat(seen).isNotEmpty();
        return seen.stream().map(e -> e.requestHeader("X-Daytona-Organization-ID").orElse("absent")).toList();
    }
}
