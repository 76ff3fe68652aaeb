package dev.magpie.sandbox.spi;

import java.util.Objects;

/**
 * Whether a provider can work on this machine with the given settings.
 *
 * @param available whether it can
 * @param reason    why not, and what to do about it; empty when available
 */
public record Availability(boolean available, String reason) {

    /** Available. */
    public static final Availability AVAILABLE = new Availability(true, "");

    public Availability {
        Objects.requireNonNull(reason, "reason");
    }

    /** Not available, with what is missing and how to provide it. */
    public static Availability unavailable(String reason) {
        return new Availability(false, reason);
    }
}
