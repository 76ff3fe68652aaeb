package dev.magpie.daytona.server;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A fault the server injects into the next matching requests: an error status with the documented body, a
 * rate limit with {@code Retry-After-<bucket>}, a connection dropped after the request was handled, or a
 * sandbox that goes to {@code error} instead of {@code started}, or a fixed delay before each request is handled
 * (a network round trip, for measuring how many a client makes). Immutable; narrow with {@link #on} and
 * {@link #times}.
 *
 * <pre>{@code
 * server.inject(Fault.status(500).on("GET", "/api/sandbox/.*").times(2));
 * server.inject(Fault.rateLimited("sandbox-create", 2));
 * server.inject(Fault.dropReply().on("POST", "/api/sandbox"));
 * server.inject(Fault.startError("no capacity in region"));
 * server.inject(Fault.delay(Duration.ofMillis(50)));
 * }</pre>
 */
public final class Fault {

    /** What the fault does. */
    public enum Kind {
        /** Reply with {@link #status()} and the documented error body, without handling the request. */
        STATUS,
        /** Reply 429 with {@code Retry-After-<bucket>}, without handling the request. */
        RATE_LIMITED,
        /** Handle the request, then close the connection without a reply. */
        DROP_REPLY,
        /** The next created sandbox goes to {@code error} with {@link #message()} as its errorReason. */
        START_ERROR,
        /**
         * Wait {@link #delay()} before handling the request, then handle it normally; applies besides any other
         * fault, and to every matching request until cleared unless {@link #times} bounds it.
         */
        DELAY
    }

    private final Kind kind;
    private final int status;
    private final String message;
    private final String bucket;
    private final int retryAfterSeconds;
    private final String method;
    private final Pattern path;
    private final int times;
    private final Duration delay;

    private Fault(Kind kind, int status, String message, String bucket, int retryAfterSeconds, String method,
                  Pattern path, int times) {
        this(kind, status, message, bucket, retryAfterSeconds, method, path, times, Duration.ZERO);
    }

    private Fault(Kind kind, int status, String message, String bucket, int retryAfterSeconds, String method,
                  Pattern path, int times, Duration delay) {
        this.kind = kind;
        this.status = status;
        this.message = message;
        this.bucket = bucket;
        this.retryAfterSeconds = retryAfterSeconds;
        this.method = method;
        this.path = path;
        this.times = times;
        this.delay = delay;
    }

    /** Replies with an error status (401, 404, 408, 409, 500, ...) and the documented error body. */
    public static Fault status(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("A fault status must be 4xx or 5xx, was " + status);
        }
        return new Fault(Kind.STATUS, status, null, null, 0, null, null, 1);
    }

    /** Replies 429 on requests of a rate-limit bucket, asking to retry after the given seconds. */
    public static Fault rateLimited(String bucket, int retryAfterSeconds) {
        Objects.requireNonNull(bucket, "bucket");
        if (!RateLimits.BUCKETS.contains(bucket)) {
            throw new IllegalArgumentException("Unknown rate-limit bucket '" + bucket + "'; expected one of "
                    + RateLimits.BUCKETS);
        }
        return new Fault(Kind.RATE_LIMITED, 429, null, bucket, Math.max(0, retryAfterSeconds), null, null, 1);
    }

    /** Handles the request (a create does create the sandbox), then drops the connection without replying. */
    public static Fault dropReply() {
        return new Fault(Kind.DROP_REPLY, 0, null, null, 0, null, null, 1);
    }

    /** The next created sandbox ends in state {@code error} with this errorReason. */
    public static Fault startError(String errorReason) {
        return new Fault(Kind.START_ERROR, 0, Objects.requireNonNull(errorReason, "errorReason"), null, 0, null,
                null, 1);
    }

    /** Every matching request waits this long before it is handled, until the fault is cleared. */
    public static Fault delay(Duration perRequest) {
        Objects.requireNonNull(perRequest, "perRequest");
        if (perRequest.isNegative()) {
            throw new IllegalArgumentException("A delay must not be negative, was " + perRequest);
        }
        return new Fault(Kind.DELAY, 0, null, null, 0, null, null, Integer.MAX_VALUE, perRequest);
    }

    /** Only requests with this method and a path (after the port, e.g. {@code /api/sandbox}) matching the regex. */
    public Fault on(String httpMethod, String pathRegex) {
        return new Fault(kind, status, message, bucket, retryAfterSeconds,
                httpMethod == null ? null : httpMethod.toUpperCase(Locale.ROOT),
                pathRegex == null ? null : Pattern.compile(pathRegex), times, delay);
    }

    /** Applies to this many matching requests (or sandboxes), then is spent. */
    public Fault times(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("times must be at least 1, was " + count);
        }
        return new Fault(kind, status, message, bucket, retryAfterSeconds, method, path, count, delay);
    }

    /** Replaces the message of a status fault's body. */
    public Fault message(String text) {
        return new Fault(kind, status, text, bucket, retryAfterSeconds, method, path, times, delay);
    }

    public Kind kind() {
        return kind;
    }

    public int status() {
        return status;
    }

    public Optional<String> message() {
        return Optional.ofNullable(message);
    }

    public Optional<String> bucket() {
        return Optional.ofNullable(bucket);
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** How long a {@link Kind#DELAY} fault holds each request; zero for the other kinds. */
    public Duration delay() {
        return delay;
    }

    public int times() {
        return times;
    }

    boolean matches(String requestMethod, String requestPath, String requestBucket) {
        if (kind == Kind.START_ERROR) {
            return false;
        }
        if (bucket != null && !bucket.equals(requestBucket)) {
            return false;
        }
        return (method == null || method.equals(requestMethod))
                && (path == null || path.matcher(requestPath).matches());
    }

    @Override
    public String toString() {
        return "Fault{" + kind + (kind == Kind.DELAY ? " " + delay.toMillis() + " ms" : "") + (status > 0 ? " " + status : "") + (bucket != null ? " bucket=" + bucket : "")
                + (method != null ? " " + method : "") + (path != null ? " " + path : "") + " x" + times + "}";
    }
}
