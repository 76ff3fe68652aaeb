package dev.magpie.junit;

import static dev.magpie.junit.EngineRun.DIR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.magpie.sandbox.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

/** Which sandboxes each cleanup mode destroys and keeps, and what a failed destroy does to the test. */
class CleanupModeTest {

    private EngineRun run;

    @AfterEach
    void deleteWhatWasKept() throws Exception {
        if (run != null) {
            EngineRun.deleteKept(run.dirs());
        }
    }

    static class Modes {
        @Test
        void neverPasses(@Sandbox(cleanup = CleanupMode.NEVER) Workspace sandbox, TestReporter reporter) {
            reporter.publishEntry(DIR, sandbox.workingDir());
        }

        @Test
        void onSuccessPasses(@Sandbox(cleanup = CleanupMode.ON_SUCCESS) Workspace sandbox, TestReporter reporter) {
            reporter.publishEntry(DIR, sandbox.workingDir());
        }

        @Test
        void onSuccessFails(@Sandbox(cleanup = CleanupMode.ON_SUCCESS) Workspace sandbox, TestReporter reporter) {
            reporter.publishEntry(DIR, sandbox.workingDir());
            throw new AssertionError("fails on purpose");
        }

        @Test
        void onSuccessSkipped(@Sandbox(cleanup = CleanupMode.ON_SUCCESS) Workspace sandbox, TestReporter reporter) {
            reporter.publishEntry(DIR, sandbox.workingDir());
            Assumptions.abort("a skipped test is not a failure");
        }

        @Test
        void alwaysFails(@Sandbox(cleanup = CleanupMode.ALWAYS) Workspace sandbox, TestReporter reporter) {
            reporter.publishEntry(DIR, sandbox.workingDir());
            throw new AssertionError("fails on purpose");
        }
    }

    @Test
    void eachModeKeepsOrDestroysAsItSays() {
        run = EngineRun.run(Modes.class);

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(2).failed(2).aborted(1));
        List<Path> dirs = run.dirs(); // test methods run in a deterministic but unspecified order
        List<String> kept = run.reported(Sandbox.KEPT_REPORT_KEY);
        assertThat(kept).hasSize(2);
        assertThat(kept).anySatisfy(message -> assertThat(message).contains("CleanupMode.NEVER", "cd /"));
        assertThat(kept).anySatisfy(message -> assertThat(message).contains("CleanupMode.ON_SUCCESS",
                "parameter 0 of method Modes.onSuccessFails(Workspace, TestReporter)"));
        assertThat(dirs.stream().filter(Files::exists).map(Path::toString).toList())
                .hasSize(2).allSatisfy(dir -> assertThat(String.join("\n", kept)).contains(dir));
    }

    static class DefaultMode {
        @Test
        void passes(@Sandbox Workspace sandbox, TestReporter reporter) {
            reporter.publishEntry(DIR, sandbox.workingDir());
        }
    }

    @Test
    void theDefaultModeComesFromConfiguration() {
        run = EngineRun.run(DefaultMode.class, Sandbox.DEFAULT_CLEANUP_MODE_PROPERTY_NAME, "never");

        assertThat(run.dirs()).hasSize(1).allSatisfy(dir -> assertThat(dir).isDirectory());
    }

    @Test
    void withoutConfigurationSandboxesAreAlwaysDestroyed() {
        run = EngineRun.run(DefaultMode.class);

        assertThat(run.dirs()).hasSize(1).allSatisfy(dir -> assertThat(dir).doesNotExist());
    }

    @Test
    void aMisspelledDefaultModeFailsTheTest() {
        run = EngineRun.run(DefaultMode.class, Sandbox.DEFAULT_CLEANUP_MODE_PROPERTY_NAME, "sometimes");

        run.results().testEvents().assertStatistics(stats -> stats.failed(1));
        assertThat(run.throwableOf("passes")).hasMessageContaining("'magpie.sandbox.cleanup.default'")
                .hasMessageContaining("MAGPIE_SANDBOX_CLEANUP_DEFAULT").hasMessageContaining("always, on_success or never")
                .hasMessageContaining("'sometimes'");
    }

    @Test
    void aStoreThatWouldNotCloseSandboxesIsRefused() {
        run = EngineRun.run(DefaultMode.class, "junit.jupiter.extensions.store.close.autocloseable.enabled", "false");

        run.results().testEvents().assertStatistics(stats -> stats.failed(1));
        assertThat(run.throwableOf("passes")).hasMessageContaining(
                "junit.jupiter.extensions.store.close.autocloseable.enabled=false would leave every sandbox behind");
    }

    static class ClassLevelOnSuccess {
        @Sandbox(cleanup = CleanupMode.ON_SUCCESS)
        static Workspace shared;

        @Test
        void passes(TestReporter reporter) {
            reporter.publishEntry(DIR, shared.workingDir());
        }

        @Nested
        class Inner {
            @Test
            void fails() {
                throw new AssertionError("fails on purpose");
            }
        }
    }

    static class ClassLevelAllPass {
        @Sandbox(cleanup = CleanupMode.ON_SUCCESS)
        static Workspace shared;

        @Test
        void passes(TestReporter reporter) {
            reporter.publishEntry(DIR, shared.workingDir());
        }
    }

    @Test
    void aClassSandboxIsKeptWhenAnyTestOfTheClassFailed() {
        run = EngineRun.run(ClassLevelOnSuccess.class);

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(1).failed(1));
        assertThat(run.dirs()).hasSize(1).allSatisfy(dir -> assertThat(dir).isDirectory());
        assertThat(run.reported(Sandbox.KEPT_REPORT_KEY)).singleElement().asString()
                .contains("static field ClassLevelOnSuccess.shared");
    }

    @Test
    void aClassSandboxIsDestroyedWhenEveryTestPassed() {
        run = EngineRun.run(ClassLevelAllPass.class);

        assertThat(run.dirs()).hasSize(1).allSatisfy(dir -> assertThat(dir).doesNotExist());
    }

    static class Undeletable {
        @Test
        void failsItself(@Sandbox(cleanup = CleanupMode.ALWAYS) Workspace sandbox, TestReporter reporter) {
            makeUndeletable(sandbox, reporter);
            throw new AssertionError("own failure");
        }

        @Test
        void passes(@Sandbox Workspace sandbox, TestReporter reporter) {
            makeUndeletable(sandbox, reporter);
        }

        private static void makeUndeletable(Workspace sandbox, TestReporter reporter) {
            reporter.publishEntry(DIR, sandbox.workingDir());
            sandbox.writeString("stuck", "x");
            assertThat(sandbox.exec("chattr", "+i", "stuck").succeeded()).isTrue();
        }
    }

    @Test
    void aFailedDestroyFailsTheTestAndNeverHidesItsOwnFailure(@TempDir Path probe) throws Exception {
        assumeThat(chattr(probe.resolve("probe"), "+i")).as("chattr +i works here").isTrue();
        chattr(probe.resolve("probe"), "-i");

        run = EngineRun.run(Undeletable.class);
        run.dirs().forEach(dir -> chattr(dir.resolve("stuck"), "-i"));

        run.results().testEvents().assertStatistics(stats -> stats.failed(2));
        Throwable own = run.throwableOf("failsItself");
        assertThat(own).hasMessage("own failure");
        assertThat(own.getSuppressed()).singleElement().satisfies(suppressed -> assertThat(suppressed)
                .hasStackTraceContaining("Could not destroy the sandbox for parameter 0 of method Undeletable.failsItself"));
        assertThat(run.throwableOf("passes"))
                .hasStackTraceContaining("Could not destroy the sandbox for parameter 0 of method Undeletable.passes")
                .hasStackTraceContaining("reach it with: cd /");
    }

    private static boolean chattr(Path file, String flag) {
        try {
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
            return new ProcessBuilder("chattr", flag, file.toString()).redirectErrorStream(true).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
