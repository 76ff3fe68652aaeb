package dev.magpie.daytona.server;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-bucket fixed-window request counters, as the Daytona API keeps per organization: every control-plane reply
 * carries {@code X-RateLimit-Limit/Remaining/Reset-<bucket>}; past the limit the reply is 429 with
 * {@code Retry-After-<bucket>}. Thread-safe.
 */
final class RateLimits {

    static final List<String> BUCKETS = List.of("sandbox-create", "sandbox-lifecycle", "authenticated");

    /** The headers for one request, and whether it is over the limit. */
    record Decision(String bucket, int limit, int remaining, long resetSeconds, boolean exceeded) {
        Map<String, String> headers() {
            Map<String, String> h = new HashMap<>();
            h.put("X-RateLimit-Limit-" + bucket, Integer.toString(limit));
            h.put("X-RateLimit-Remaining-" + bucket, Integer.toString(Math.max(0, remaining)));
            h.put("X-RateLimit-Reset-" + bucket, Long.toString(resetSeconds));
            if (exceeded) {
                h.put("Retry-After-" + bucket, Long.toString(Math.max(1, resetSeconds)));
            }
            return h;
        }
    }

    private final int limitPerMinute;
    private final Map<String, long[]> windows = new HashMap<>();

    RateLimits(int limitPerMinute) {
        this.limitPerMinute = limitPerMinute;
    }

    /** The bucket a control-plane request counts against. */
    static String bucketOf(String method, String apiPath) {
        if (method.equals("POST") && apiPath.equals("/sandbox")) {
            return "sandbox-create";
        }
        if (method.equals("DELETE") || apiPath.matches("/sandbox/[^/]+/(start|stop|archive|recover|resize|pause)")) {
            return "sandbox-lifecycle";
        }
        return "authenticated";
    }

    synchronized Decision count(String bucket) {
        long now = System.currentTimeMillis();
        long[] window = windows.computeIfAbsent(bucket, b -> new long[] {now, 0});
        if (now - window[0] >= 60_000) {
            window[0] = now;
            window[1] = 0;
        }
        window[1]++;
        long reset = Math.max(1, (window[0] + 60_000 - now + 999) / 1000);
        return new Decision(bucket, limitPerMinute, (int) (limitPerMinute - window[1]), reset,
                window[1] > limitPerMinute);
    }
}
