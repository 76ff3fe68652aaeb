package dev.magpie.junit;

/**
 * When the extension destroys a sandbox it created. A sandbox that is kept is logged, and published as a report
 * entry, with where it is and how to reach it.
 *
 * @see Sandbox#cleanup()
 * @see Sandbox#DEFAULT_CLEANUP_MODE_PROPERTY_NAME
 */
public enum CleanupMode {

    /** The mode configured under {@value Sandbox#DEFAULT_CLEANUP_MODE_PROPERTY_NAME}, {@link #ALWAYS} if unset. */
    DEFAULT,

    /** Destroy the sandbox after its test or class, whatever the outcome. */
    ALWAYS,

    /**
     * Destroy the sandbox only when its test (or, for a class-level sandbox, every test of the class) succeeded
     * or was skipped; keep it for inspection after a failure.
     */
    ON_SUCCESS,

    /** Never destroy the sandbox; it is left for the user to inspect and remove. */
    NEVER
}
