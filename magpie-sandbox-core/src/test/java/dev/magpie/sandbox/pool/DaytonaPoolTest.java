package dev.magpie.sandbox.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.magpie.daytona.server.DaytonaServer;
import dev.magpie.daytona.server.Fault;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.Workspaces;
import dev.magpie.sandbox.daytona.DaytonaConfig;
import dev.magpie.sandbox.internal.WarmPools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Warm pools of Daytona sandboxes on the local server: the bound on creations, faults, the drain. */
class DaytonaPoolTest {

    private static final WorkspaceSpec SPEC = WorkspaceSpec.builder().provider(ProviderId.DAYTONA).env("MARK", "pool")
            .build();

    private DaytonaServer server;

    @BeforeEach
    void start() {
        server = DaytonaServer.builder().startDelay(Duration.ofMillis(200)).start();
    }

    @AfterEach
    void stop() {
        try {
            Workspaces.drainPools();
            assertThat(server.sandboxIds()).as("sandboxes left after the drain").isEmpty();
        } finally {
            server.close();
        }
    }

    @Test
    void aPoolNeverHasMoreCreationsInFlightThanConfigured() {
        Settings settings = settings("5", "2");
        startPool(settings);
        AtomicLong most = new AtomicLong();

        Poll.until("5 pooled sandboxes", () -> {
            most.accumulateAndGet(starting(), Math::max);
            return WarmPools.ready(ProviderId.DAYTONA, SPEC, settings) == 5;
        }, () -> WarmPools.ready(ProviderId.DAYTONA, SPEC, settings) + ", " + starting() + " starting");

        assertThat(most.get()).as("sandboxes starting at once").isBetween(1L, 2L);
        assertThat(server.sandboxIds()).hasSize(5);
    }

    @Test
    void failingRefillsFailNoTakeAndAPersistentFailureIsTheErrorOfADirectCreate() {
        Settings settings = settings("2", "2");
        startPool(settings);
        Poll.until("2 pooled sandboxes", () -> WarmPools.ready(ProviderId.DAYTONA, SPEC, settings) == 2,
                () -> WarmPools.ready(ProviderId.DAYTONA, SPEC, settings));
        server.inject(Fault.status(500).on("POST", "/api/sandbox").times(1_000));

        List<Workspace> taken = new ArrayList<>();
        taken.add(Workspaces.create(SPEC, settings));
        taken.add(Workspaces.create(SPEC, settings));
        Throwable pooled = catchThrowable(() -> Workspaces.create(SPEC, settings));
        Throwable direct = catchThrowable(() -> Workspaces.create(SPEC, settings("0", "2")));

        assertThat(taken).extracting(w -> w.shell("echo $MARK").stdout().strip()).containsOnly("pool");
        assertThat(pooled).isNotNull().isExactlyInstanceOf(direct.getClass()).hasMessage(direct.getMessage());
        assertThat(pooled.getMessage()).contains("500");

        server.clearFaults();
        taken.add(Workspaces.create(SPEC, settings));
        Poll.until("the pool refilled once the faults are gone", () -> WarmPools.ready(ProviderId.DAYTONA, SPEC, settings) == 2,
                () -> WarmPools.ready(ProviderId.DAYTONA, SPEC, settings));
        taken.forEach(Workspace::destroy);
    }

    @Test
    void theDrainDeletesEveryPooledSandbox() {
        Settings settings = settings("3", "2");
        startPool(settings);
        Poll.until("3 pooled sandboxes", () -> WarmPools.ready(ProviderId.DAYTONA, SPEC, settings) == 3,
                () -> WarmPools.ready(ProviderId.DAYTONA, SPEC, settings));
        assertThat(server.sandboxIds()).hasSize(3);

        Workspaces.drainPools();

        assertThat(server.sandboxIds()).isEmpty();
        assertThat(WarmPools.ready(ProviderId.DAYTONA, SPEC, settings)).isZero();
    }

    @Test
    void aSandboxThatWaitedLongerThanTheIdleLimitIsDeletedInsteadOfHandedOut() {
        Map<String, String> values = new HashMap<>(values("2", "2"));
        values.put(Workspaces.POOL_MAX_IDLE_KEY, "1ms");
        Settings strict = Settings.builder().values(values).environment(Map.of()).build();
        startPool(strict);
        Poll.until("2 pooled sandboxes", () -> WarmPools.ready(ProviderId.DAYTONA, SPEC, strict) == 2,
                () -> WarmPools.ready(ProviderId.DAYTONA, SPEC, strict));
        Set<String> waited = server.sandboxIds();

        Workspace taken = Workspaces.create(SPEC, strict);

        assertThat(waited).doesNotContain(taken.id());
        Poll.until("the sandboxes that waited too long deleted", () -> waited.stream().noneMatch(
                server.sandboxIds()::contains), server::sandboxIds);
        taken.destroy();
    }

    /** A spec is pooled from its second request on. */
    private static void startPool(Settings settings) {
        Workspaces.create(SPEC, settings).destroy();
        Workspaces.create(SPEC, settings).destroy();
    }

    private long starting() {
        long now = System.nanoTime();
        return server.sandboxIds().stream().filter(id -> server.startedAtNanos(id).orElse(0L) > now).count();
    }

    private Settings settings(String size, String inflight) {
        return Settings.builder().values(values(size, inflight)).environment(Map.of()).build();
    }

    private Map<String, String> values(String size, String inflight) {
        Map<String, String> values = new HashMap<>();
        values.put(DaytonaConfig.API_KEY, server.apiKey());
        values.put(DaytonaConfig.API_URL, server.baseUrl());
        values.put(DaytonaConfig.OWNER, "pool-tests");
        values.put(Workspaces.POOL_SIZE_KEY, size);
        values.put(Workspaces.POOL_INFLIGHT_KEY, inflight);
        return values;
    }
}
