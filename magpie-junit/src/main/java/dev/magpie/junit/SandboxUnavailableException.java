package dev.magpie.junit;

import org.opentest4j.TestAbortedException;

/**
 * Aborts a test whose sandbox provider is not available here. JUnit wraps what a parameter resolver throws in a
 * {@code ParameterResolutionException}; {@link SandboxExtension} unwraps this one so the test shows as skipped.
 */
final class SandboxUnavailableException extends TestAbortedException {

    private static final long serialVersionUID = 1L;

    SandboxUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
