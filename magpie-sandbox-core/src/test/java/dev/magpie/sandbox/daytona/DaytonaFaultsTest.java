package dev.magpie.sandbox.daytona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

import dev.magpie.daytona.server.Fault;
import dev.magpie.sandbox.WorkspaceException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each fault the server can inject, what the client does about it, and that no sandbox is left behind. */
class DaytonaFaultsTest {

    @RegisterExtension
    static final LocalDaytona DAYTONA = new LocalDaytona(Duration.ofMillis(100));

    private static final String CREATE = "/api/sandbox";

    @Test
    void aSandboxThatGoesToErrorFailsFastWithTheReasonAndIsDeleted() {
        DAYTONA.server().inject(Fault.startError("no capacity in region us"));

        DaytonaStartException e = catchThrowableOfType(DaytonaStartException.class, DAYTONA::workspace);

        assertThat(e.state()).isEqualTo("error");
        assertThat(e.errorReason()).contains("no capacity in region us");
        assertThat(e).hasMessageContaining("no capacity in region us");
        assertThat(DAYTONA.server().sandboxIds()).isEmpty();
        assertThat(DAYTONA.exchanges("DELETE", "/api/sandbox/" + e.sandboxId())).hasSize(1);
    }

    @Test
    void aWrongKeyIsAnAuthErrorThatDoesNotShowTheKey() {
        DaytonaConfig wrong = DAYTONA.config().newBuilder().apiKey("dtn_wrong_key_0123456789abcdef").build();

        assertThatThrownBy(() -> DaytonaWorkspace.create(DaytonaClient.of(wrong),
                DaytonaCreateRequest.builder().build(), null))
                .isInstanceOf(DaytonaAuthException.class)
                .hasMessageContaining("HTTP 401").hasMessageContaining("DAYTONA_API_KEY")
                .hasMessageNotContaining("dtn_wrong_key_0123456789abcdef");
        assertThat(DAYTONA.server().sandboxIds()).isEmpty();
    }

    @Test
    void anAuthFailureMidWayIsNotRetried() {
        try (DaytonaWorkspace ws = DAYTONA.workspace()) {
            DAYTONA.server().inject(Fault.status(401).on("POST", "/toolbox/.*/process/session"));
            int before = DAYTONA.exchanges("POST", "/toolbox/.*/process/session").size();

            DaytonaAuthException e = catchThrowableOfType(DaytonaAuthException.class, () -> ws.shell("true"));

            assertThat(e.status()).isEqualTo(401);
            assertThat(DAYTONA.exchanges("POST", "/toolbox/.*/process/session")).hasSize(before + 1);
        }
    }

    @Test
    void anUnknownSnapshotIsNamedAndNothingIsCreated() {
        DaytonaUnknownSnapshotException e = catchThrowableOfType(DaytonaUnknownSnapshotException.class,
                () -> DaytonaWorkspace.create(DAYTONA.client(),
                        DaytonaCreateRequest.builder().snapshot("acme/nope:9").build(), null));

        assertThat(e.snapshot()).isEqualTo("acme/nope:9");
        assertThat(e.status()).isEqualTo(404);
        assertThat(e).hasMessageContaining("'acme/nope:9'");
        assertThat(DAYTONA.server().sandboxIds()).isEmpty();
    }

    @Test
    void anExecuteTimeoutIs408AndASetupTimeoutIsToleratedAndRecorded() {
        DAYTONA.server().inject(Fault.status(408).on("POST", "/toolbox/.*/process/execute"));
        try (DaytonaWorkspace ws = DAYTONA.workspace()) {
            assertThat(ws.transcript().render()).contains("workspace setup timed out").contains("tolerated");

            DaytonaApiException e = catchThrowableOfType(DaytonaApiException.class,
                    () -> ws.toolbox().execute("sleep 5", null, Map.of(), Duration.ofSeconds(1)));
            assertThat(e.status()).isEqualTo(408);
            assertThat(e.body()).contains("PROCESS_EXECUTION_TIMEOUT");
        }
    }

    @Test
    void destroyRetriesWhileAStateChangeIsInProgress() {
        DaytonaWorkspace ws = DAYTONA.workspace();
        DAYTONA.server().inject(Fault.status(409).on("DELETE", "/api/sandbox/.*").times(3));

        ws.destroy();

        assertThat(DAYTONA.exchanges("DELETE", "/api/sandbox/" + ws.id())).extracting(e -> e.status())
                .containsExactly(409, 409, 409, 200);
        assertThat(DAYTONA.server().sandboxIds()).isEmpty();
    }

    @Test
    void destroyGivesUpOnEndless409WithTheStatus() {
        DaytonaWorkspace ws = DAYTONA.workspace();
        DAYTONA.server().inject(Fault.status(409).on("DELETE", "/api/sandbox/.*").times(100));

        DaytonaApiException e = catchThrowableOfType(DaytonaApiException.class, ws::destroy);

        assertThat(e.status()).isEqualTo(409);
        assertThat(e).hasMessageContaining("state change in progress").hasMessageContaining("still exists")
                .hasMessageContaining("sweep");
        DAYTONA.server().clearFaults();
        DAYTONA.client().delete(ws.id());
        assertThat(DAYTONA.server().sandboxIds()).isEmpty();
    }

    @Test
    void aRateLimitedCreateWaitsTheBucketsRetryAfterThenSucceeds() {
        DAYTONA.server().inject(Fault.rateLimited("sandbox-create", 1));
        long start = System.nanoTime();

        try (DaytonaWorkspace ws = DAYTONA.workspace()) {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(DAYTONA.exchanges("POST", CREATE)).extracting(e -> e.status()).containsExactly(429, 200);
            assertThat(DAYTONA.exchanges("POST", CREATE).get(0).responseHeader("Retry-After-sandbox-create"))
                    .contains("1");
        }
    }

    @Test
    void rateLimitingPastTheRetriesIsTyped() {
        DAYTONA.server().inject(Fault.rateLimited("sandbox-create", 0).times(10));

        DaytonaRateLimitException e = catchThrowableOfType(DaytonaRateLimitException.class, DAYTONA::workspace);

        assertThat(e.bucket()).isEqualTo("sandbox-create");
        assertThat(e.status()).isEqualTo(429);
        assertThat(DAYTONA.exchanges("POST", CREATE)).hasSize(1 + DAYTONA.config().maxRetries());
        assertThat(DAYTONA.server().sandboxIds()).isEmpty();
    }

    @Test
    void aRetryAfterLongerThanAllowedFailsAtOnce() {
        DAYTONA.server().inject(Fault.rateLimited("authenticated", 3600).on("GET", "/api/sandbox/.*"));
        DaytonaClient client = DAYTONA.client();

        DaytonaRateLimitException e = catchThrowableOfType(DaytonaRateLimitException.class,
                () -> client.find("anything"));

        assertThat(e.retryAfter()).isEqualTo(Duration.ofHours(1));
        assertThat(DAYTONA.exchanges("GET", "/api/sandbox/anything")).hasSize(1);
    }

    @Test
    void serverErrorsAreRetriedForIdempotentCalls() {
        DAYTONA.server().inject(Fault.status(500).on("GET", "/api/sandbox/.*").times(2));
        try (DaytonaWorkspace ws = DAYTONA.workspace()) {
            assertThat(DAYTONA.exchanges("GET", "/api/sandbox/" + ws.id())).extracting(e -> e.status())
                    .startsWith(500, 500, 200);
        }
    }

    @Test
    void aServerErrorOnCreateIsNeverRetried() {
        DAYTONA.server().inject(Fault.status(500).on("POST", CREATE));

        DaytonaServerException e = catchThrowableOfType(DaytonaServerException.class, DAYTONA::workspace);

        assertThat(e.status()).isEqualTo(500);
        assertThat(DAYTONA.exchanges("POST", CREATE)).hasSize(1);
        assertThat(DAYTONA.exchanges("GET", CREATE)).hasSize(4);
        assertThat(DAYTONA.server().sandboxIds()).isEmpty();
    }

    @Test
    void aCreateWhoseReplyIsLostDeletesTheSandboxItMadeAndIsNotRepeated() {
        DAYTONA.server().inject(Fault.dropReply().on("POST", CREATE));

        WorkspaceException e = catchThrowableOfType(WorkspaceException.class, DAYTONA::workspace);

        assertThat(e).hasMessageContaining("was deleted").hasMessageContaining("Nothing was retried");
        assertThat(DAYTONA.exchanges("POST", CREATE)).extracting(x -> x.status()).containsExactly(0);
        assertThat(DAYTONA.exchanges("DELETE", "/api/sandbox/.*")).hasSize(1);
        assertThat(DAYTONA.server().sandboxIds()).isEmpty();
    }

    @Test
    void whenEvenTheRecoveryFailsTheMessageNamesTheLabelAndTheSweepFindsIt() {
        DAYTONA.server().inject(Fault.dropReply().on("POST", CREATE));
        DAYTONA.server().inject(Fault.status(500).on("GET", CREATE).times(10));

        WorkspaceException e = catchThrowableOfType(WorkspaceException.class, DAYTONA::workspace);

        assertThat(e).hasMessageContaining(DaytonaClient.LABEL_CREATE_TOKEN).hasMessageContaining("sweep");
        assertThat(DAYTONA.server().sandboxIds()).hasSize(1);
        DAYTONA.server().clearFaults();
        DaytonaSweep.Result swept = DaytonaSweep.of(DAYTONA.client()).run(LocalDaytona.OWNER, Duration.ZERO, false);
        assertThat(swept.deleted()).hasSize(1);
        assertThat(DAYTONA.server().sandboxIds()).isEmpty();
    }

    @Test
    void anUnreachableApiIsRetriedThenExplained() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        DaytonaConfig nowhere = DAYTONA.config().newBuilder().apiUrl("http://127.0.0.1:" + closedPort + "/api").build();

        assertThatThrownBy(() -> DaytonaClient.of(nowhere).create(DaytonaCreateRequest.builder().build()))
                .isInstanceOf(WorkspaceException.class)
                .hasMessageContaining("Could not reach Daytona").hasMessageContaining("after 4 attempts")
                .hasMessageContaining("Check the API URL");
    }

    @Test
    void aSandboxSlowerThanTheDeadlineIsDeleted() {
        DAYTONA.server().startDelay(Duration.ofSeconds(30));
        DaytonaConfig impatient = DAYTONA.config().newBuilder().startTimeout(Duration.ofMillis(300)).build();

        DaytonaStartException e = catchThrowableOfType(DaytonaStartException.class,
                () -> DaytonaWorkspace.create(DaytonaClient.of(impatient), DaytonaCreateRequest.builder().build(), null));

        assertThat(e).hasMessageContaining("did not start within").hasMessageContaining(DaytonaConfig.START_TIMEOUT);
        assertThat(e.state()).isIn("creating", "starting");
        assertThat(DAYTONA.server().sandboxIds()).isEmpty();
    }

    @Test
    void anInterruptedCreateStillDeletesItsSandbox() throws Exception {
        DAYTONA.server().startDelay(Duration.ofSeconds(30));
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean stillInterrupted = new java.util.concurrent.atomic.AtomicBoolean();
        Thread creator = new Thread(() -> {
            try {
                DAYTONA.workspace();
            } catch (Throwable t) {
                thrown.set(t);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        creator.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (DAYTONA.server().sandboxIds().isEmpty()) {
            if (System.nanoTime() > deadline) {
                fail("No sandbox was created within 10 s; the creator failed with " + thrown.get());
            }
            Thread.sleep(10);
        }
        creator.interrupt();
        creator.join(10_000);
        assertThat(creator.isAlive()).as("the creator still waits 10 s after its interrupt").isFalse();

        assertThat(thrown.get()).isInstanceOf(WorkspaceException.class).hasMessageContaining("Interrupted");
        assertThat(stillInterrupted).isTrue();
        assertThat(DAYTONA.server().sandboxIds()).isEmpty();
    }

    @Test
    void aSandboxDeletedWhileStartingFailsFast() {
        DAYTONA.server().startDelay(Duration.ofSeconds(30));
        DaytonaClient client = DAYTONA.client();
        DaytonaSandbox created = client.create(DaytonaCreateRequest.builder().build());
        client.delete(created.id());
        long start = System.nanoTime();

        DaytonaStartException e = catchThrowableOfType(DaytonaStartException.class,
                () -> client.awaitStarted(created, Duration.ofSeconds(20)));

        assertThat(e).hasMessageContaining("disappeared");
        // The behaviour under test is timing: the wait ends at the first poll that finds the sandbox gone (about
        // 100 ms), not at the 20 s deadline. 2 s is ten times what is expected.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
}
