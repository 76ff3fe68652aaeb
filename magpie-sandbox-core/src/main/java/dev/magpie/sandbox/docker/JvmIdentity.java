package dev.magpie.sandbox.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Who owns a container: the host name, the process id and the start time of a JVM. The start time tells a live
 * owner from a dead one whose pid has since been reused by another process.
 */
record JvmIdentity(String host, long pid, long startMillis) {

    /** This JVM. */
    static JvmIdentity current() {
        ProcessHandle self = ProcessHandle.current();
        return new JvmIdentity(hostName(), self.pid(), startMillis(self).orElse(0L));
    }

    /** Parses a label value written by {@link #label()}; empty when it is not one. */
    static Optional<JvmIdentity> parse(String host, String label) {
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
    String label() {
        return pid + "@" + startMillis;
    }

    /**
     * Whether this JVM still runs. Only meaningful for an identity of this host: callers never judge another
     * host's containers. A process with this pid that started at another time is a different process.
     */
    boolean isAlive() {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        // Start times come from the kernel in clock ticks; allow for rounding between two readings.
        return startMillis(handle.get()).map(start -> Math.abs(start - startMillis) < 1_000).orElse(true);
    }

    private static Optional<Long> startMillis(ProcessHandle handle) {
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
