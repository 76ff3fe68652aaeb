package dev.magpie.sandbox;

/**
 * A provider cannot work on this machine: no Docker engine, no Daytona credentials, no {@code git}. The JUnit
 * extension reports a test that needs it as skipped, unless the provider is required (then it fails).
 */
public final class ProviderUnavailableException extends WorkspaceException {

    private static final long serialVersionUID = 1L;

    private final ProviderId provider;
    private final String reason;

    public ProviderUnavailableException(ProviderId provider, String reason) {
        super("The " + provider + " provider is not available here: " + reason);
        this.provider = provider;
        this.reason = reason;
    }

    public ProviderId provider() {
        return provider;
    }

    /** What is missing and how to provide it. */
    public String reason() {
        return reason;
    }
}
