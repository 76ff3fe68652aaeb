package dev.magpie.sandbox.conformance;

import dev.magpie.sandbox.InvalidInputException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a provider legitimately departs from the {@link dev.magpie.sandbox.Workspace} contract, each with the reason.
 * The suite skips the cases a declared difference covers and reports the reason as the skip's message; everything
 * else must pass. Immutable: {@link #with(Difference, String)} returns a copy.
 *
 * <pre>{@code
 * Differences.none().with(Difference.LISTENER_AFTER_EXIT, "the service returns the logs when the command ends")
 * }</pre>
 */
public final class Differences {

    private static final Differences NONE = new Differences(new EnumMap<>(Difference.class));

    private final Map<Difference, String> reasons;

    private Differences(Map<Difference, String> reasons) {
        this.reasons = reasons;
    }

    /** A provider that follows the whole contract. */
    public static Differences none() {
        return NONE;
    }

    /** A copy that also declares {@code difference}, with the reason a reader of the skipped test will see. */
    public Differences with(Difference difference, String reason) {
        Objects.requireNonNull(difference, "difference");
        if (reason == null || reason.isBlank()) {
            throw new InvalidInputException("A difference needs its reason, so that the skipped case says why; "
                    + "none was given for " + difference + ". Pass the reason.");
        }
        Map<Difference, String> copy = new EnumMap<>(Difference.class);
        copy.putAll(reasons);
        copy.put(difference, reason);
        return new Differences(copy);
    }

    /** The reason the provider differs this way, or empty when it follows the contract there. */
    public Optional<String> reason(Difference difference) {
        return Optional.ofNullable(reasons.get(difference));
    }

    @Override
    public String toString() {
        return reasons.isEmpty() ? "no differences" : reasons.toString();
    }
}
