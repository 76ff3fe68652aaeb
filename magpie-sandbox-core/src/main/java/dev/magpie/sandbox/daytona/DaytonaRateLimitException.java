package dev.magpie.sandbox.daytona;

import java.time.Duration;

/** Daytona kept answering 429 for a rate-limit bucket after the bounded retries, or asked for too long a wait. */
public final class DaytonaRateLimitException extends DaytonaApiException {

    private static final long serialVersionUID = 1L;

    private final String bucket;
    private final Duration retryAfter;

    public DaytonaRateLimitException(String body, String bucket, Duration retryAfter, String message) {
        super(429, body, message);
        this.bucket = bucket;
        this.retryAfter = retryAfter;
    }

    /** The bucket named by the {@code Retry-After-<bucket>} header: sandbox-create, sandbox-lifecycle, ... */
    public String bucket() {
        return bucket;
    }

    /** How long Daytona asked to wait before the next call. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
