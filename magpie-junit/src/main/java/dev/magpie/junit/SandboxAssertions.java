package dev.magpie.junit;

import dev.magpie.sandbox.ExecResult;

/**
 * The entry point of the AssertJ assertions for sandbox results:
 * {@code assertThat(sandbox.shell("make")).succeeded().stdout().contains("done")}. Imports statically beside
 * {@code org.assertj.core.api.Assertions.assertThat}.
 */
public final class SandboxAssertions {

    private SandboxAssertions() {
    }

    /** Assertions on the outcome of a command. */
    public static ExecResultAssert assertThat(ExecResult actual) {
        return new ExecResultAssert(actual);
    }
}
