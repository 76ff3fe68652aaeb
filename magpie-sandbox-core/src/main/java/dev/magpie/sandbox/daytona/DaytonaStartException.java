package dev.magpie.sandbox.daytona;

import dev.magpie.sandbox.WorkspaceException;
import java.util.Optional;

/**
 * A created sandbox did not reach {@code started}: it went to {@code error} or {@code build_failed}, was destroyed,
 * disappeared, or the deadline passed. The sandbox was deleted before this was thrown.
 */
public final class DaytonaStartException extends WorkspaceException {

    private static final long serialVersionUID = 1L;

    private final String sandboxId;
    private final String state;
    private final String errorReason;

    public DaytonaStartException(String sandboxId, String state, String errorReason, String message) {
        super(message);
        this.sandboxId = sandboxId;
        this.state = state;
        this.errorReason = errorReason;
    }

    public String sandboxId() {
        return sandboxId;
    }

    /** The last state seen: {@code error}, {@code build_failed}, {@code destroyed}, ... */
    public String state() {
        return state;
    }

    /** The reason Daytona gave, when it gave one. */
    public Optional<String> errorReason() {
        return Optional.ofNullable(errorReason);
    }
}
