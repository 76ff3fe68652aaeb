package dev.magpie.sandbox;

/**
 * A {@link BackgroundProcess} did not become ready: its deadline passed, or it ended first. The message names the
 * command and the check, says what happened and ends with the process's recent output (redacted as the
 * workspace's transcript is), which usually tells why.
 */
public final class ServiceNotReadyException extends WorkspaceException {

    private static final long serialVersionUID = 1L;

    private final String recentOutput;
    private final boolean ended;

    public ServiceNotReadyException(String message, String recentOutput, boolean ended) {
        super(message);
        this.recentOutput = recentOutput;
        this.ended = ended;
    }

    /** The last lines the process wrote before the failure, redacted. */
    public String recentOutput() {
        return recentOutput;
    }

    /** Whether the process had ended (rather than still running when the deadline passed). */
    public boolean ended() {
        return ended;
    }
}
