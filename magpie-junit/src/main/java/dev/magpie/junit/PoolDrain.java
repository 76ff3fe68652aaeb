package dev.magpie.junit;

import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.Workspaces;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Drains the warm pools when the JUnit launcher session ends, so that a run leaves no pooled sandbox behind; the
 * core's shutdown hook covers a JVM that ends without one. Registered through
 * {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener}; not meant to be used directly.
 */
public final class PoolDrain implements LauncherSessionListener {

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        try {
            Workspaces.drainPools();
        } catch (WorkspaceException e) {
            // Every test has already been reported; the message names what is left for the next run's sweep.
            System.err.println("magpie: " + e.getMessage());
        }
    }
}
