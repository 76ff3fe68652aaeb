package dev.magpie.sandbox.pool;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline that fails with what was last seen. */
public final class Poll {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private Poll() {
    }

    public static void until(String what, BooleanSupplier condition, Supplier<Object> seen) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Expected " + what + " within " + DEADLINE.toSeconds() + " s, but found "
                        + seen.get());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for " + what, e);
            }
        }
    }
}
