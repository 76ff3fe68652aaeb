package dev.magpie.sandbox;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether a workspace's commands reach the network, one setting for every provider ({@value #KEY}): {@code none}
 * keeps them off it (an isolated local command has only its own loopback, a container only a loopback interface, a
 * Daytona sandbox is created with all traffic blocked); {@code host} gives them the network the provider normally
 * gives (the host's for an isolated local command, the engine's bridge for a container, Daytona's default).
 * Unset, each provider keeps its default: none for isolated local commands, host for containers and Daytona.
 */
public enum NetworkPolicy {

    /** No network beyond a loopback of their own. */
    NONE,

    /** The network the provider normally gives. */
    HOST;

    /** The configuration key: {@code none} or {@code host}. */
    public static final String KEY = "magpie.sandbox.network";

    /**
     * The policy the settings name, if any.
     *
     * @throws ConfigurationException when the key holds anything but {@code none} or {@code host}
     */
    public static Optional<NetworkPolicy> from(Settings settings) {
        return settings.get(KEY).map(value -> switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "host" -> HOST;
            default -> throw new ConfigurationException(KEY, value, "none or host");
        });
    }
}
