package dev.magpie.daytona.server;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server's clock for sandbox intervals. Intervals are counted in minutes, as in Daytona; one minute of this
 * clock lasts {@link DaytonaServer.Builder#intervalMinute} (a real minute by default), so that a test can watch an
 * auto-stop happen within seconds. Timed work (sweeps, state changes to announce) runs on one daemon thread.
 */
final class SandboxClock implements AutoCloseable {

    private final long minuteNanos;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "daytona-server-clock");
        t.setDaemon(true);
        return t;
    });

    SandboxClock(Duration minute) {
        this.minuteNanos = minute.toNanos();
    }

    long now() {
        return System.nanoTime();
    }

    /** How long {@code minutes} interval minutes last, in nanoseconds. */
    long minutes(long minutes) {
        return minutes * minuteNanos;
    }

    /**
     * Runs the sweep repeatedly: a twentieth of a minute apart (between 10 ms and 1 s), so that an interval is
     * enforced within 5% of a minute of its end.
     */
    void every(Runnable sweep) {
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(TimeUnit.SECONDS.toNanos(1),
                minuteNanos / 20));
        timer.scheduleWithFixedDelay(guarded(sweep), period, period, TimeUnit.NANOSECONDS);
    }

    /** Runs the task once the clock reads {@code nanos} (at once when that has passed). */
    void at(long nanos, Runnable task) {
        timer.schedule(guarded(task), Math.max(0, nanos - now()), TimeUnit.NANOSECONDS);
    }

    /** A failing task must not end the timer thread's later work. */
    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                // the next sweep tries again; an announcement that failed is only late (the SDK also polls)
            }
        };
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
