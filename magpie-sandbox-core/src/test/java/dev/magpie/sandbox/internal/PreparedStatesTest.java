package dev.magpie.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.pool.Poll;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** What the workspaces waiting for a prepared state get when its preparation ends with an {@link Error}. */
class PreparedStatesTest {

    private final PreparedStates<String> states = new PreparedStates<>();

    @Test
    void anErrorDuringAPreparationFailsItsWaitersAndTheNextRequestPreparesAgain() throws Exception {
        CountDownLatch preparing = new CountDownLatch(1);
        CountDownLatch fail = new CountDownLatch(1);
        NoClassDefFoundError error = new NoClassDefFoundError("org/example/Toolchain");
        CompletableFuture<Throwable> first = outcome(() -> states.get("k", () -> {
            preparing.countDown();
            await(fail);
            throw error;
        }));
        assertThat(preparing.await(60, TimeUnit.SECONDS)).as("the first preparation started").isTrue();
        Thread[] waiter = new Thread[1];
        CompletableFuture<Throwable> second = outcome(() -> {
            waiter[0] = Thread.currentThread();
            return states.get("k", () -> "prepared by the waiter");
        });
        Poll.until("the second request waiting for the first preparation",
                () -> waiter[0] != null && waiter[0].getState() == Thread.State.WAITING,
                () -> waiter[0] == null ? "not started" : waiter[0].getState());

        fail.countDown();

        assertThat(settled(first, "the request that prepared")).isSameAs(error);
        assertThat(settled(second, "the request waiting for it")).isInstanceOf(WorkspaceException.class)
                .hasCause(error).hasMessageContaining("org/example/Toolchain").hasMessageContaining("again");
        assertThat(states.get("k", () -> "prepared again")).isEqualTo("prepared again");
    }

    /** What the call throws, on a daemon thread so that a call that never returns cannot hold the JVM. */
    private static CompletableFuture<Throwable> outcome(java.util.function.Supplier<String> call) {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                thrown.complete(new AssertionError("returned " + call.get() + " instead of failing"));
            } catch (Throwable t) {
                thrown.complete(t);
            }
        }, "prepared-states-test");
        thread.setDaemon(true);
        thread.start();
        return thrown;
    }

    private static Throwable settled(CompletableFuture<Throwable> outcome, String who) throws Exception {
        try {
            return outcome.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("Expected " + who + " to fail within 60 s, but it still waits", e);
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("The test never let the preparation fail");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
