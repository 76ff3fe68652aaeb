package dev.magpie.sandbox;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The library's configuration: one set of keys ({@code magpie.*}) shared by the core and the JUnit extension.
 *
 * <p>A key is looked up, first match wins, in: the sources given to the builder in order (the JUnit extension
 * passes its configuration parameters, which cover launcher parameters, system properties and
 * {@code junit-platform.properties}); then JVM system properties; then the environment variable named by
 * {@link #environmentName(String)} ({@code magpie.docker.image} becomes {@code MAGPIE_DOCKER_IMAGE}).
 * Immutable and thread-safe.
 */
public final class Settings {

    private final List<Function<String, Optional<String>>> sources;
    private final Map<String, String> environment;

    private Settings(List<Function<String, Optional<String>>> sources, Map<String, String> environment) {
        this.sources = List.copyOf(sources);
        this.environment = Map.copyOf(environment);
    }

    /** System properties, then the process environment. */
    public static Settings fromSystem() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The environment variable that carries a key: upper case, dots and dashes become underscores. */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The value of a key, from the first source that has it; blank values count as absent. */
    public Optional<String> get(String key) {
        for (Function<String, Optional<String>> source : sources) {
            Optional<String> value = source.apply(key).filter(v -> !v.isBlank());
            if (value.isPresent()) {
                return value.map(String::trim);
            }
        }
        return Optional.ofNullable(System.getProperty(key)).or(() -> env(environmentName(key)))
                .filter(v -> !v.isBlank()).map(String::trim);
    }

    public String get(String key, String defaultValue) {
        return get(key).orElse(defaultValue);
    }

    /** A boolean key: {@code true} or {@code false}, any case. */
    public boolean getBoolean(String key, boolean defaultValue) {
        return get(key).map(value -> parse(key, value, "true or false", v -> {
            if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(v);
            }
            throw new IllegalArgumentException();
        })).orElse(defaultValue);
    }

    /** A duration key: ISO-8601 ({@code PT30S}) or a number with a unit ({@code 500ms}, {@code 30s}, {@code 5m}). */
    public Duration getDuration(String key, Duration defaultValue) {
        return get(key).map(value -> parse(key, value, "a duration such as 30s, 500ms, 5m or PT30S",
                Settings::parseDuration)).orElse(defaultValue);
    }

    /** An environment variable, from the environment given to the builder (the process's by default). */
    public Optional<String> env(String name) {
        return Optional.ofNullable(environment.get(name)).filter(v -> !v.isBlank());
    }

    static Duration parseDuration(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("p")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
            }
            long amount = Long.parseLong(v.substring(0, v.length() - 1).trim());
            switch (v.charAt(v.length() - 1)) {
                case 's': return Duration.ofSeconds(amount);
                case 'm': return Duration.ofMinutes(amount);
                case 'h': return Duration.ofHours(amount);
                default: throw new IllegalArgumentException();
            }
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static <T> T parse(String key, String value, String expected, Function<String, T> parser) {
        try {
            return parser.apply(value.trim());
        } catch (RuntimeException e) {
            throw new ConfigurationException(key, value, expected);
        }
    }

    /** Builds {@link Settings}; sources are consulted in the order they were added. */
    public static final class Builder {
        private final List<Function<String, Optional<String>>> sources = new ArrayList<>();
        private Map<String, String> environment = System.getenv();

        private Builder() {
        }

        /** Adds a source consulted before system properties and the environment. */
        public Builder source(Function<String, Optional<String>> lookup) {
            sources.add(Objects.requireNonNull(lookup, "lookup"));
            return this;
        }

        /** Adds fixed values, consulted before system properties and the environment. */
        public Builder values(Map<String, String> values) {
            Map<String, String> copy = Map.copyOf(values);
            return source(key -> Optional.ofNullable(copy.get(key)));
        }

        /** Replaces the process environment, for tests. */
        public Builder environment(Map<String, String> variables) {
            this.environment = Map.copyOf(variables);
            return this;
        }

        public Settings build() {
            return new Settings(sources, environment);
        }
    }
}
