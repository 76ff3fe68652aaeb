package dev.magpie.sandbox.daytona;

import dev.magpie.daytona.server.DaytonaServer;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run in a JVM with a small heap by {@link DaytonaBigOutputTest}: an embedded server and a Daytona workspace in
 * the same heap, a command printing 64 MiB on each stream, once without and once with a line listener.
 */
public final class DaytonaBigOutputProbe {

    private static final long SIZE = 64L << 20;

    private DaytonaBigOutputProbe() {
    }

    public static void main(String[] args) {
        try (DaytonaServer server = DaytonaServer.start()) {
            DaytonaConfig config = DaytonaConfig.builder().apiKey(server.apiKey()).apiUrl(server.baseUrl())
                    .owner("probe").build();
            try (DaytonaWorkspace workspace = DaytonaWorkspace.create(DaytonaClient.of(config),
                    DaytonaCreateRequest.builder().build(), null)) {
                String script = "head -c " + SIZE + " /dev/zero | tr '\\0' x; echo; head -c " + SIZE
                        + " /dev/zero | tr '\\0' y >&2";
                ExecResult plain = workspace.exec(ExecRequest.builder("sh", "-c", script)
                        .timeout(Duration.ofMinutes(2)).build());
                AtomicLong lines = new AtomicLong();
                ExecResult listened = workspace.exec(ExecRequest.builder("sh", "-c",
                        "for i in $(seq 1 4); do head -c " + (SIZE / 4) + " /dev/zero | tr '\\0' z; echo; done")
                        .listener((channel, line) -> lines.incrementAndGet())
                        .timeout(Duration.ofMinutes(2)).build());
                System.out.println("exit=" + plain.exitCode() + " truncated=" + plain.truncated()
                        + " stdout=" + plain.stdout().length() + " stderr=" + plain.stderr().length()
                        + " head=" + plain.stdout().substring(0, 3) + " tail=" + plain.stderr().substring(
                                plain.stderr().length() - 3)
                        + " listenedExit=" + listened.exitCode() + " listenedTruncated=" + listened.truncated()
                        + " lines=" + lines.get()
                        + " maxHeapMiB=" + Runtime.getRuntime().maxMemory() / (1024 * 1024));
            }
        }
    }
}
