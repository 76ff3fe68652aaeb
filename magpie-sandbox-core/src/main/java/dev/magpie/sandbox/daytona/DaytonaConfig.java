package dev.magpie.sandbox.daytona;

import dev.magpie.sandbox.InvalidInputException;
import dev.magpie.sandbox.Settings;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach Daytona and how patiently: API key and URL, organization, target region, deadlines and retry
 * bounds. Immutable and thread-safe; the API key never appears in {@link #toString()}.
 *
 * <p>{@link #fromSettings(Settings)} reads, first match wins, the keys {@code magpie.daytona.*} (see the
 * constants) through {@link Settings}, then the variables of the official SDKs: {@code DAYTONA_API_KEY},
 * {@code DAYTONA_API_URL} (or {@code DAYTONA_BASE_URL}), {@code DAYTONA_ORGANIZATION_ID}, {@code DAYTONA_TARGET}.
 */
public final class DaytonaConfig {

    public static final String API_KEY = "magpie.daytona.api-key";
    public static final String API_URL = "magpie.daytona.api-url";
    public static final String ORGANIZATION_ID = "magpie.daytona.organization-id";
    public static final String TARGET = "magpie.daytona.target";
    public static final String START_TIMEOUT = "magpie.daytona.start-timeout";
    public static final String OWNER = "magpie.daytona.owner";
    /** The URL of Daytona's hosted control plane. */
    public static final String DEFAULT_API_URL = "https://app.daytona.io/api";

    private final String apiKey;
    private final String apiUrl;
    private final String organizationId;
    private final String target;
    private final String owner;
    private final Duration startTimeout;
    private final Duration readTimeout;
    private final int maxRetries;
    private final Duration retryBaseDelay;
    private final Duration maxRetryAfter;

    private DaytonaConfig(Builder b) {
        if (b.apiKey == null || b.apiKey.isBlank()) {
            throw new InvalidInputException("A Daytona API key is required: set DAYTONA_API_KEY or "
                    + API_KEY + ".");
        }
        this.apiKey = b.apiKey.trim();
        this.apiUrl = trimSlash(Objects.requireNonNull(b.apiUrl, "apiUrl"));
        if (!apiUrl.startsWith("http://") && !apiUrl.startsWith("https://")) {
            throw new InvalidInputException("The Daytona API URL must start with http:// or https://, but was '"
                    + apiUrl + "'. Set DAYTONA_API_URL or " + API_URL + " to a URL such as " + DEFAULT_API_URL + ".");
        }
        this.organizationId = blankToNull(b.organizationId);
        this.target = blankToNull(b.target);
        this.owner = b.owner == null || b.owner.isBlank() ? defaultOwner() : b.owner.trim();
        this.startTimeout = positive("startTimeout", b.startTimeout);
        this.readTimeout = positive("readTimeout", b.readTimeout);
        if (b.maxRetries < 0) {
            throw new InvalidInputException("maxRetries must not be negative, but was " + b.maxRetries
                    + "; pass 0 to never retry.");
        }
        this.maxRetries = b.maxRetries;
        this.retryBaseDelay = Objects.requireNonNull(b.retryBaseDelay, "retryBaseDelay");
        this.maxRetryAfter = Objects.requireNonNull(b.maxRetryAfter, "maxRetryAfter");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether the settings hold an API key, i.e. whether {@link #fromSettings} can succeed. */
    public static boolean isConfigured(Settings settings) {
        return apiKeyFrom(settings).isPresent();
    }

    /**
     * The configuration the settings and the environment describe.
     *
     * @throws dev.magpie.sandbox.InvalidInputException when no API key is configured
     */
    public static DaytonaConfig fromSettings(Settings settings) {
        Builder b = builder();
        apiKeyFrom(settings).ifPresent(b::apiKey);
        settings.get(API_URL).or(() -> settings.env("DAYTONA_API_URL")).or(() -> settings.env("DAYTONA_BASE_URL"))
                .ifPresent(b::apiUrl);
        settings.get(ORGANIZATION_ID).or(() -> settings.env("DAYTONA_ORGANIZATION_ID")).ifPresent(b::organizationId);
        settings.get(TARGET).or(() -> settings.env("DAYTONA_TARGET")).ifPresent(b::target);
        settings.get(OWNER).ifPresent(b::owner);
        b.startTimeout(settings.getDuration(START_TIMEOUT, b.startTimeout));
        return b.build();
    }

    private static Optional<String> apiKeyFrom(Settings settings) {
        return settings.get(API_KEY).or(() -> settings.env("DAYTONA_API_KEY"));
    }

    public Builder newBuilder() {
        return new Builder().apiKey(apiKey).apiUrl(apiUrl).organizationId(organizationId).target(target)
                .owner(owner).startTimeout(startTimeout).readTimeout(readTimeout).maxRetries(maxRetries)
                .retryBaseDelay(retryBaseDelay).maxRetryAfter(maxRetryAfter);
    }

    /** The bearer key. Never log it. */
    public String apiKey() {
        return apiKey;
    }

    /** The control-plane base URL, without a trailing slash. */
    public String apiUrl() {
        return apiUrl;
    }

    /**
     * Sent as {@code X-Daytona-Organization-ID} when present and the key is a JWT (three dot-separated parts); an
     * API key belongs to one organization, so with one the header is left out, as the official SDKs do.
     */
    public Optional<String> organizationId() {
        return Optional.ofNullable(organizationId);
    }

    /** The region sandboxes are created in; Daytona's default region when empty. */
    public Optional<String> target() {
        return Optional.ofNullable(target);
    }

    /** The owner label put on every sandbox, which scopes sweeps; the user name by default. */
    public String owner() {
        return owner;
    }

    /** How long to wait for a created sandbox to turn {@code started}; 5 minutes by default. */
    public Duration startTimeout() {
        return startTimeout;
    }

    /** The socket read timeout of every call; well above the 30 s a create may be held. */
    public Duration readTimeout() {
        return readTimeout;
    }

    /** Retries after a 429, or after a 5xx or a broken connection on a call safe to repeat; 3 by default. */
    public int maxRetries() {
        return maxRetries;
    }

    /** The first backoff delay; it doubles on every retry. */
    public Duration retryBaseDelay() {
        return retryBaseDelay;
    }

    /** The longest {@code Retry-After} honoured; a longer one fails at once with {@link DaytonaRateLimitException}. */
    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    @Override
    public String toString() {
        return "DaytonaConfig{apiUrl=" + apiUrl + ", apiKey=***" + (organizationId != null ? ", organizationId="
                + organizationId : "") + (target != null ? ", target=" + target : "") + ", owner=" + owner
                + ", startTimeout=" + startTimeout + "}";
    }

    private static String defaultOwner() {
        String user = System.getProperty("user.name", "unknown");
        return user.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static Duration positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new InvalidInputException(name + " must be a positive duration, but was " + value
                    + "; pass a positive duration.");
        }
        return value;
    }

    private static String trimSlash(String url) {
        String u = url.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** Builds a {@link DaytonaConfig}; {@link #build()} checks and copies. */
    public static final class Builder {
        private String apiKey;
        private String apiUrl = DEFAULT_API_URL;
        private String organizationId;
        private String target;
        private String owner;
        private Duration startTimeout = Duration.ofMinutes(5);
        private Duration readTimeout = Duration.ofSeconds(90);
        private int maxRetries = 3;
        private Duration retryBaseDelay = Duration.ofMillis(250);
        private Duration maxRetryAfter = Duration.ofSeconds(60);

        private Builder() {
        }

        public Builder apiKey(String value) {
            this.apiKey = value;
            return this;
        }

        public Builder apiUrl(String value) {
            this.apiUrl = value;
            return this;
        }

        public Builder organizationId(String value) {
            this.organizationId = value;
            return this;
        }

        public Builder target(String value) {
            this.target = value;
            return this;
        }

        public Builder owner(String value) {
            this.owner = value;
            return this;
        }

        public Builder startTimeout(Duration value) {
            this.startTimeout = value;
            return this;
        }

        public Builder readTimeout(Duration value) {
            this.readTimeout = value;
            return this;
        }

        public Builder maxRetries(int value) {
            this.maxRetries = value;
            return this;
        }

        public Builder retryBaseDelay(Duration value) {
            this.retryBaseDelay = value;
            return this;
        }

        public Builder maxRetryAfter(Duration value) {
            this.maxRetryAfter = value;
            return this;
        }

        /** @throws dev.magpie.sandbox.InvalidInputException when the key is missing or a value is out of range */
        public DaytonaConfig build() {
            return new DaytonaConfig(this);
        }
    }
}
