package dev.magpie.daytona.server;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * {@code GET /system/metrics} (the SDK's {@code getMetricsLatest}): CPU count, memory and disk as a command in the
 * sandbox reads them ({@code nproc}, {@code /proc/stat}, {@code /proc/meminfo}, {@code df} of the home). The CPU
 * usage is over the time since the sandbox's previous call, 0 on the first, as the daemon's is 0 until its first
 * sample window ends.
 */
final class SystemMetrics {

    private static final String COMMAND = "nproc; head -n 1 /proc/stat; cat /proc/meminfo; df -Pk .";

    /** Each sandbox's previous CPU sample: total and idle jiffies. */
    private final Map<LocalSandbox, long[]> previous = new WeakHashMap<>();

    void handle(Call call, LocalSandbox sandbox) throws IOException {
        List<String> lines = ToolboxInfo.output(sandbox, COMMAND);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cpuCount", lines.isEmpty() ? 0 : number(lines.get(0).trim()));
        out.put("cpuUsedPct", cpuUsed(sandbox, lines));
        Map<String, Long> memory = new LinkedHashMap<>();
        long[] disk = new long[3];
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && f[0].endsWith(":")) {
                memory.put(f[0].substring(0, f[0].length() - 1), number(f[1]) * 1024);
            } else if (f.length >= 6 && f[5].startsWith("/") && number(f[1]) > 0) {
                disk = new long[] {number(f[1]) * 1024, number(f[2]) * 1024, number(f[3]) * 1024};
            }
        }
        long total = memory.getOrDefault("MemTotal", 0L);
        out.put("memTotal", total);
        out.put("memUsed", total - memory.getOrDefault("MemAvailable", total));
        out.put("memCache", memory.getOrDefault("Cached", 0L) + memory.getOrDefault("Buffers", 0L));
        out.put("diskTotal", disk[0]);
        out.put("diskUsed", disk[1]);
        out.put("diskFree", disk[2]);
        Instant now = Instant.now();
        out.put("timestamp", now.toString());
        out.put("timestampUnix", now.getEpochSecond());
        call.json(200, out);
    }

    private double cpuUsed(LocalSandbox sandbox, List<String> lines) {
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f[0].equals("cpu") && f.length > 5) {
                long total = 0;
                for (int i = 1; i < f.length; i++) {
                    total += number(f[i]);
                }
                long idle = number(f[4]) + number(f[5]);
                long[] before;
                synchronized (previous) {
                    before = previous.put(sandbox, new long[] {total, idle});
                }
                if (before == null || total <= before[0]) {
                    return 0;
                }
                return 100.0 * ((total - before[0]) - (idle - before[1])) / (total - before[0]);
            }
        }
        return 0;
    }

    private static long number(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
