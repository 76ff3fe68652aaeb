package dev.magpie.sandbox;

/**
 * A workspace's preparation command failed (see {@link Preparation}). The message names the command and carries the
 * preparation's transcript, credentials redacted. Every workspace that needs the same prepared state fails with it;
 * the preparation is not run again in this JVM.
 */
public final class PreparationException extends WorkspaceException {

    private static final long serialVersionUID = 1L;

    private final String transcript;

    public PreparationException(String message, String transcript) {
        super(message + "\n" + transcript);
        this.transcript = transcript;
    }

    /** A copy for one more workspace that needs the failed state, the first failure as its cause. */
    public PreparationException(PreparationException first) {
        super(first.getMessage(), first);
        this.transcript = first.transcript;
    }

    /** The preparation's transcript: every command with its exit code and the tail of its output, redacted. */
    public String transcript() {
        return transcript;
    }
}
