package dev.magpie.sandbox.conformance;

import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.local.LocalWorkspace;
import java.util.Map;

/**
 * A provider that declares both differences, run by {@link ConformanceDifferencesTest} through the engine; its name
 * keeps it out of the build's test patterns.
 */
class DifferingProvider extends WorkspaceConformance {

    @Override
    protected Workspace create(Map<String, String> env) {
        return LocalWorkspace.temporary(env);
    }

    @Override
    public Differences differences() {
        return Differences.none()
                .with(Difference.SIGNAL_EXIT_CODE, "the service reports the wrapper's status")
                .with(Difference.LISTENER_AFTER_EXIT, "the service hands out logs at the end");
    }
}
