package dev.magpie.sandbox.conformance;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a condition that settles after an operation returned, such as a killed process being gone. */
final class Poll {

    private static final long PAUSE_MS = 20;

    private Poll() {
    }

    /**
     * Asks {@code problem} until it answers the empty string, which means the condition holds; past {@code within}
     * the test fails with the last answer.
     */
    static void until(Duration within, String what, Supplier<String> problem) {
        long deadline = System.nanoTime() + within.toNanos();
        String last = problem.get();
        while (!last.isEmpty()) {
            if (System.nanoTime() >= deadline) {
                fail("Expected " + what + " within " + within.toMillis() + " ms, but still: " + last);
            }
            try {
                Thread.sleep(PAUSE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("Interrupted while waiting for " + what);
            }
            last = problem.get();
        }
    }
}
