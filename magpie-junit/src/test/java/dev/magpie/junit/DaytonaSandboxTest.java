package dev.magpie.junit;

import static dev.magpie.junit.SandboxAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.daytona.server.DaytonaServer;
import dev.magpie.sandbox.daytona.DaytonaConfig;
import dev.magpie.sandbox.daytona.DaytonaWorkspace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * A Daytona sandbox end to end, against the local Daytona-compatible server: the provider's settings come from
 * the JUnit configuration, the sandbox is deleted after its test, and a kept one is reported by its Daytona id.
 */
class DaytonaSandboxTest {

    private static final DaytonaServer SERVER = DaytonaServer.start();

    @AfterAll
    static void stop() {
        SERVER.close();
    }

    static class Remote {
        @Test
        void runs(@Sandbox(provider = "daytona", snapshot = DaytonaServer.DEFAULT_SNAPSHOT)
                DaytonaWorkspace sandbox, TestReporter reporter) {
            reporter.publishEntry("id", sandbox.id());
            sandbox.writeString("notes.txt", "remote");
            assertThat(sandbox.exec("cat", "notes.txt")).succeeded().stdout().isEqualTo("remote");
        }
    }

    static class Kept {
        @Test
        void runs(@Sandbox(provider = "daytona", snapshot = DaytonaServer.DEFAULT_SNAPSHOT,
                cleanup = CleanupMode.NEVER) DaytonaWorkspace sandbox, TestReporter reporter) {
            reporter.publishEntry("id", sandbox.id());
        }
    }

    @Test
    void aDaytonaSandboxIsDeletedAfterItsTest() {
        EngineRun run = run(Remote.class);

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(1));
        assertThat(run.reported("id")).singleElement().satisfies(id -> assertThat(SERVER.sandboxIds()).doesNotContain(id));
    }

    @Test
    void aKeptDaytonaSandboxIsReportedByItsId() {
        EngineRun run = run(Kept.class);

        String id = run.reported("id").get(0);
        assertThat(SERVER.sandboxIds()).contains(id);
        assertThat(run.reported(Sandbox.KEPT_REPORT_KEY)).singleElement().asString()
                .contains("Daytona sandbox " + id);
        SERVER.deleteAllSandboxes();
    }

    private static EngineRun run(Class<?> fixture) {
        return EngineRun.run(fixture, DaytonaConfig.API_KEY, SERVER.apiKey(), DaytonaConfig.API_URL, SERVER.baseUrl(),
                Sandbox.REQUIRED_PROPERTY_NAME, "true");
    }
}
