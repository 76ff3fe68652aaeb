package dev.magpie.sandbox;

/**
 * A provider cannot work on this machine: no Docker engine, no Daytona credentials, no {@code git}. The JUnit
 * extension reports a test that needs it as skipped, unless the provider is required (then it fails).
 */
public final class ProviderUnavailableException extends WorkspaceException {

    private static final long serialVersionUID = 1L;

    private final String provider;

    public ProviderUnavailableException(String provider, String reason) {
        super("The " + provider + " provider is not available here: " + reason);
        this.provider = provider;
    }

    public String provider() {
        return provider;
    }
}
