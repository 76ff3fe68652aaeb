package dev.magpie.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.local.LocalWorkspace;
import dev.magpie.sandbox.pool.Poll;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

/** One warm pool's bookkeeping when its executor refuses work and when a creation outlasts the drain. */
class WarmPoolTest {

    private static final Settings SETTINGS = Settings.builder().environment(Map.of()).build();
    private static final WorkspaceSpec SPEC = WorkspaceSpec.builder().env("POOL", "unit").build();

    @Test
    void aRefillTheExecutorRefusesGivesItsPermitBackAndLeavesTheDrainNothingToWaitFor() {
        GatedProvider provider = new GatedProvider("refused");
        Semaphore creations = new Semaphore(2);
        WarmPool pool = new WarmPool(provider, SPEC, SETTINGS, creations, task -> {
            throw new RejectedExecutionException("shut down");
        }, () -> { });

        assertThat(pool.take(new PoolConfig(2, 2, Duration.ofMinutes(1)))).isNull();

        assertThat(creations.availablePermits()).as("permits after the refused refills").isEqualTo(2);
        assertThat(pool.drain(Duration.ofDays(1))).isEmpty();
        assertThat(provider.made()).isEmpty();
    }

    @Test
    void aCreationThatEndsAfterTheDrainGaveUpWaitingDestroysItsSandbox() {
        GatedProvider provider = new GatedProvider("late");
        ExecutorService executor = Executors.newCachedThreadPool();
        try {
            WarmPool pool = new WarmPool(provider, SPEC, SETTINGS, new Semaphore(1), executor, () -> { });
            pool.take(new PoolConfig(1, 1, Duration.ofMinutes(1)));
            Poll.until("a refill waiting at the gate", () -> provider.waiting() == 1, provider::waiting);

            assertThat(pool.drain(Duration.ofMillis(1))).isEmpty();
            provider.allow(1);

            Poll.until("the late sandbox made", () -> provider.made().size() == 1, provider::made);
            LocalWorkspace late = provider.made().get(0);
            Poll.until("the late sandbox destroyed", () -> !Files.exists(late.directory()), late::directory);
            assertThat(pool.ready()).isZero();
        } finally {
            executor.shutdown();
        }
    }
}
