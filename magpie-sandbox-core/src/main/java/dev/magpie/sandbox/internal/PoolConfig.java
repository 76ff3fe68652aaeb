package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.ConfigurationException;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspaces;
import java.time.Duration;
import java.util.Optional;

/**
 * How a provider's warm pools behave, read from the settings at each take. A provider's own key
 * ({@code magpie.docker.pool.size}) wins over the global one ({@code magpie.pool.size}).
 *
 * @param size     sandboxes a pool keeps ready; 0 turns pools off
 * @param inflight creations a provider's pools may have running at once
 * @param maxIdle  how long a ready sandbox may wait; an older one is destroyed instead of taken
 */
record PoolConfig(int size, int inflight, Duration maxIdle) {

    /**
     * Two creations at once keep a pool ahead of a suite whose tests last longer than half a create, without
     * competing with those tests for the CPU or the engine, and stay far below Daytona's create rate limit.
     */
    static final int DEFAULT_INFLIGHT = 2;

    /** Below Daytona's auto-stop (30 minutes of inactivity), so that a pooled sandbox is never a stopped one. */
    static final Duration DEFAULT_MAX_IDLE = Duration.ofMinutes(10);

    static PoolConfig of(ProviderId provider, Settings settings) {
        return new PoolConfig(size(provider, settings), inflight(provider, settings),
                settings.getDuration(Workspaces.POOL_MAX_IDLE_KEY, DEFAULT_MAX_IDLE));
    }

    private static int size(ProviderId provider, Settings settings) {
        Key found = Key.find(provider, Workspaces.POOL_SIZE_KEY, settings);
        if (found == null) {
            return 0;
        }
        if (found.value().equalsIgnoreCase("auto")) {
            return Runtime.getRuntime().availableProcessors();
        }
        return found.count(0, "a number of sandboxes (0 turns pools off), or auto for one per processor");
    }

    private static int inflight(ProviderId provider, Settings settings) {
        Key found = Key.find(provider, Workspaces.POOL_INFLIGHT_KEY, settings);
        return found == null ? DEFAULT_INFLIGHT : found.count(1, "a whole number of creations, at least 1");
    }

    /** The key that has a value, the provider's own first. */
    private record Key(String name, String value) {

        static Key find(ProviderId provider, String globalKey, Settings settings) {
            String own = provider.key(globalKey.substring("magpie.".length()));
            Optional<String> value = settings.get(own);
            if (value.isPresent()) {
                return new Key(own, value.get());
            }
            return settings.get(globalKey).map(v -> new Key(globalKey, v)).orElse(null);
        }

        int count(int minimum, String expected) {
            try {
                int parsed = Integer.parseInt(value);
                if (parsed >= minimum) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // reported below with what the key accepts
            }
            throw new ConfigurationException(name, value, expected);
        }
    }
}
