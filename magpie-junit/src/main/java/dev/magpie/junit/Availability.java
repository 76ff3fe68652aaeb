package dev.magpie.junit;

import dev.magpie.sandbox.ProviderUnavailableException;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.WorkspaceException;
import java.util.Optional;

/**
 * Decides what an unavailable provider does to a test: abort it (skipped, with the reason) or fail it. Required,
 * first match wins: the annotation's {@code required}; {@code magpie.<provider>.required};
 * {@value Sandbox#REQUIRED_PROPERTY_NAME}; the environment variable {@code CI} being {@code true}.
 */
final class Availability {

    private final Settings settings;

    Availability(Settings settings) {
        this.settings = settings;
    }

    /** The exception to throw for the declaration: a skip, or a failure that says why the provider is required. */
    RuntimeException unavailable(Declaration declaration, ProviderUnavailableException cause) {
        String providerKey = cause.provider().key("required");
        Optional<String> why = requiredBecause(declaration, providerKey);
        if (why.isEmpty()) {
            return new SandboxUnavailableException("Skipped: the sandbox for " + declaration.description()
                    + " cannot be created. " + cause.getMessage() + " (set " + providerKey
                    + "=true to fail instead)", cause);
        }
        return new WorkspaceException("The sandbox for " + declaration.description() + " cannot be created and "
                + "the " + cause.provider() + " provider is required here (" + why.get() + "). " + cause.getMessage(),
                cause);
    }

    private Optional<String> requiredBecause(Declaration declaration, String providerKey) {
        if (declaration.annotation().required()) {
            return Optional.of("@Sandbox(required = true)");
        }
        for (String key : new String[] {providerKey, Sandbox.REQUIRED_PROPERTY_NAME}) {
            if (settings.get(key).isPresent()) {
                return settings.getBoolean(key, false) ? Optional.of(key + "=true") : Optional.empty();
            }
        }
        if (settings.env("CI").filter("true"::equalsIgnoreCase).isPresent()) {
            return Optional.of("the environment variable CI is true; set " + providerKey + "=false to skip instead");
        }
        return Optional.empty();
    }
}
