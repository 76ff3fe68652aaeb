package dev.magpie.sandbox.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Who owns a leftover (a container, a temporary directory): the host name, the process id and the start time of
 * a JVM. The start time tells a live owner from a dead one whose pid has since been reused by another process.
 *
 * @param startMillis the owner's start time in epoch milliseconds; 0 when the owner could not read it
 */
public record JvmIdentity(String host, long pid, long startMillis) {

    /** Start times come from the kernel in clock ticks; allow for rounding between two readings. */
    private static final long START_TOLERANCE_MILLIS = 1_000;

    /** This JVM. */
    public static JvmIdentity current() {
        ProcessHandle self = ProcessHandle.current();
        return new JvmIdentity(hostName(), self.pid(), startMillis(self).orElse(0L));
    }

    /** Parses a label value written by {@link #label()}; empty when it is not one. */
    public static Optional<JvmIdentity> parse(String host, String label) {
        if (host == null || label == null) {
            return Optional.empty();
        }
        int at = label.indexOf('@');
        try {
            return Optional.of(new JvmIdentity(host, Long.parseLong(label.substring(0, at)),
                    Long.parseLong(label.substring(at + 1))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@code pid@startMillis}. */
    public String label() {
        return pid + "@" + startMillis;
    }

    /**
     * Whether this JVM still runs. Only meaningful for an identity of this host: callers never judge another
     * host's leftovers. A process with this pid that started at another time is a different process.
     */
    public boolean isAlive() {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        if (startMillis == 0) {
            return true; // the owner could not read its own start time: a live pid must be taken as the owner
        }
        // An unknown start time cannot prove the pid was reused: keep what it owns.
        return startMillis(handle.get()).map(start -> Math.abs(start - startMillis) <= START_TOLERANCE_MILLIS)
                .orElse(true);
    }

    /** When a process started, in epoch milliseconds; empty when the system does not say. */
    public static Optional<Long> startMillis(ProcessHandle handle) {
        return handle.info().startInstant().map(Instant::toEpochMilli);
    }

    private static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException | RuntimeException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "unknown-host" : env;
        }
    }
}
