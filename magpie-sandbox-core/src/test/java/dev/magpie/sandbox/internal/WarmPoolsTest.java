package dev.magpie.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.Workspaces;
import dev.magpie.sandbox.local.LocalWorkspace;
import dev.magpie.sandbox.pool.Poll;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pools of the JVM around a drain: pools started during one, drains that overlap, the bound read again, the
 * requests after the exit drain.
 */
class WarmPoolsTest {

    private static final WorkspaceSpec SPEC = WorkspaceSpec.builder().env("POOL", "pools").build();

    @AfterEach
    void drain() {
        WarmPools.drain();
    }

    @Test
    void aDrainAlsoDrainsThePoolsStartedWhileItWaits() throws InterruptedException {
        GatedProvider gated = new GatedProvider("gated");
        GatedProvider free = new GatedProvider("free");
        free.allow(1_000);
        Settings settings = settings("1", "1");
        Thread drain = drainWaitingForARefill(gated, settings);

        startPool(free, settings);
        Poll.until("a pool started during the drain filled", () -> WarmPools.ready(free.id(), SPEC, settings) == 1,
                () -> WarmPools.ready(free.id(), SPEC, settings));
        gated.allow(1);
        drain.join();

        assertThat(WarmPools.ready(free.id(), SPEC, settings)).isZero();
        assertThat(Stream.concat(gated.made().stream(), free.made().stream()).map(LocalWorkspace::directory))
                .as("sandboxes left after the drain").noneMatch(Files::exists);
    }

    @Test
    void aSecondDrainWaitsForTheFirst() throws InterruptedException {
        GatedProvider gated = new GatedProvider("gated");
        Thread first = drainWaitingForARefill(gated, settings("1", "1"));

        Thread second = new Thread(WarmPools::drain, "second drain");
        second.start();
        Poll.until("the second drain blocked or ended", () -> second.getState() == Thread.State.BLOCKED
                || second.getState() == Thread.State.TERMINATED, second::getState);

        assertThat(second.getState()).as("the second drain while the first waits").isEqualTo(Thread.State.BLOCKED);
        gated.allow(1);
        first.join();
        second.join();
        assertThat(gated.made()).map(LocalWorkspace::directory).as("sandboxes left after the drains")
                .noneMatch(Files::exists);
    }

    @Test
    void theBoundOnCreationsInFlightIsReadAgainAfterADrain() {
        GatedProvider gated = new GatedProvider("bound");
        gated.allow(1_000);
        startPool(gated, settings("3", "1"));
        WarmPools.drain();
        gated.close();
        Settings two = settings("3", "2");
        gated.allow(1);
        WarmPools.take(gated, SPEC, two).destroy();

        CompletableFuture<Void> take = CompletableFuture.runAsync(() -> WarmPools.take(gated, SPEC, two).destroy());
        try {
            // two refills and the take's own creation
            Poll.until("3 creations waiting at the gate", () -> gated.waiting() == 3, gated::waiting);
        } finally {
            gated.allow(1_000);
            take.join();
        }
    }

    @Test
    void afterTheExitDrainRequestsCreateDirectlyInsteadOfStartingAPool() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                ExitingProbe.class.getName()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the probe ended within 120 s")
                    .isTrue();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();

            assertThat(child.exitValue()).as("the probe's exit code").isZero();
            assertThat(out).as("sandboxes created for two requests after the exit drain").isEqualTo("2");
        } finally {
            child.destroyForcibly();
        }
    }

    /** A spec is pooled from its second request on. */
    private static void startPool(GatedProvider provider, Settings settings) {
        WarmPools.take(provider, SPEC, settings).destroy();
        WarmPools.take(provider, SPEC, settings).destroy();
    }

    /** A drain, on its own thread, waiting for a refill of the provider that waits at its gate. */
    private static Thread drainWaitingForARefill(GatedProvider gated, Settings settings) {
        gated.allow(3);
        startPool(gated, settings);
        Poll.until("a pooled sandbox", () -> WarmPools.ready(gated.id(), SPEC, settings) == 1,
                () -> WarmPools.ready(gated.id(), SPEC, settings));
        WarmPools.take(gated, SPEC, settings).destroy();
        Poll.until("a refill waiting at the gate", () -> gated.waiting() == 1, gated::waiting);
        Thread drain = new Thread(WarmPools::drain, "first drain");
        drain.start();
        Poll.until("the drain waiting for the refill", () -> waits(drain), drain::getState);
        return drain;
    }

    private static boolean waits(Thread thread) {
        return List.of(Thread.State.WAITING, Thread.State.TIMED_WAITING).contains(thread.getState());
    }

    private static Settings settings(String size, String inflight) {
        return Settings.builder().values(Map.of(Workspaces.POOL_SIZE_KEY, size, Workspaces.POOL_INFLIGHT_KEY, inflight))
                .environment(Map.of()).build();
    }
}
