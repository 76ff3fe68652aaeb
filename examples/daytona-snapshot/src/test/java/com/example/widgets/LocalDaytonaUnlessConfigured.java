package com.example.widgets;

import dev.magpie.daytona.server.DaytonaServer;
import java.nio.file.Path;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Runs the tests against Daytona itself when {@code DAYTONA_API_KEY} is set, and otherwise against a local
 * Daytona-compatible server started for the test run, which serves the snapshot {@value #SNAPSHOT} from the
 * directory that the build prepared. Registered in {@code META-INF/services}.
 */
public final class LocalDaytonaUnlessConfigured implements LauncherSessionListener {

    /** The snapshot the tests start from; on Daytona, build one with the repository and toolchain baked in. */
    public static final String SNAPSHOT = "acme/widgets:dev";

    private DaytonaServer server;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (System.getenv("DAYTONA_API_KEY") != null) {
            return;
        }
        Path template = Path.of(System.getProperty("example.snapshot.template", "target/snapshot"));
        server = DaytonaServer.builder().snapshot(SNAPSHOT, template).start();
        // The library reads these keys like any configuration: system properties come before the environment.
        System.setProperty("magpie.daytona.api-url", server.baseUrl());
        System.setProperty("magpie.daytona.api-key", server.apiKey());
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (server != null) {
            System.clearProperty("magpie.daytona.api-url");
            System.clearProperty("magpie.daytona.api-key");
            server.close();
        }
    }
}
