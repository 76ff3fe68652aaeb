package dev.magpie.sandbox.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.magpie.sandbox.Workspace;
import java.util.Map;
import java.util.Optional;

/**
 * What every contract test gets from {@link WorkspaceConformance}: the workspace shared by the tests of the class,
 * fresh workspaces for tests that destroy theirs, and the provider's declared {@link Differences}.
 */
public interface ConformanceFixture {

    /** The value of {@link #WORKSPACE_VARIABLE} in the environment the shared workspace was created with. */
    String WORKSPACE_VALUE = "from the workspace";

    /** A variable given to the shared workspace at creation, which every command must see. */
    String WORKSPACE_VARIABLE = "MAGPIE_CONFORMANCE_WORKSPACE";

    /** One workspace for the whole class, created with {@link #WORKSPACE_VARIABLE}; tests must not destroy it. */
    Workspace workspace();

    /** A new workspace, destroyed after the test if the test did not destroy it itself. */
    Workspace fresh(Map<String, String> env);

    /** Where the provider under test differs, with the reasons. */
    Differences differences();

    /** Skips the calling test, with the declared reason, when the provider differs this way. */
    default void assumeFollows(Difference difference) {
        Optional<String> reason = differences().reason(difference);
        assumeTrue(reason.isEmpty(), () -> workspace().provider() + " differs (" + difference + "): " + reason.get());
    }
}
