package dev.magpie.junit;

import static dev.magpie.junit.EngineRun.DIR;
import static dev.magpie.junit.SandboxAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.sandbox.Preparation;
import dev.magpie.sandbox.PreparationException;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.local.LocalWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.Event;

/** {@code @Sandbox(prepare = ...)}: one preparation for a parallel suite, and one failure for all its tests. */
class PreparedSandboxTest {

    static class PreparedEach {
        @RepeatedTest(12)
        void startsPrepared(@Sandbox(cloneFrom = "${fixture.repo}",
                prepare = "echo run >> ${fixture.counter} && cp README.md built.txt") Workspace sandbox,
                TestReporter reporter) {
            reporter.publishEntry(DIR, sandbox.workingDir());
            assertThat(sandbox.readString("built.txt")).isEqualTo("widgets\n");
            sandbox.writeString("built.txt", "mine");
            assertThat(sandbox.exec("git", "log", "--format=%s")).succeeded().stdout().isEqualTo("first commit\n");
        }
    }

    static class FailingPreparation {
        @RepeatedTest(3)
        void needsIt(@Sandbox(cloneFrom = "${fixture.repo}",
                prepare = "echo run >> ${fixture.counter}; echo missing-toolchain >&2; exit 7") Workspace sandbox) {
            sandbox.exec("true");
        }
    }

    static class TwoFlavours {
        @Test
        void plain(@Sandbox(cloneFrom = "${fixture.repo}", env = "FLAVOUR=plain",
                prepare = "echo run >> ${fixture.counter} && echo \"$FLAVOUR\" > built.txt") Workspace sandbox) {
            assertThat(sandbox.readString("built.txt")).isEqualTo("plain\n");
        }

        @Test
        void spicy(@Sandbox(cloneFrom = "${fixture.repo}", env = "FLAVOUR=spicy",
                prepare = "echo run >> ${fixture.counter} && echo \"$FLAVOUR\" > built.txt") Workspace sandbox) {
            assertThat(sandbox.readString("built.txt")).isEqualTo("spicy\n");
        }
    }

    static class SlowPreparation {
        @Test
        void needsIt(@Sandbox(cloneFrom = "${fixture.repo}", prepare = "echo run >> ${fixture.counter}; sleep 3172")
                Workspace sandbox) {
            sandbox.exec("true");
        }
    }

    @TempDir
    Path dir;
    private Path repo;
    private Path counter;

    @BeforeEach
    void createRepository() throws Exception {
        repo = Files.createDirectories(dir.resolve("widgets"));
        counter = dir.resolve("runs.txt");
        Files.writeString(repo.resolve("README.md"), "widgets\n");
        try (Workspace setup = LocalWorkspace.fromPath(repo)) {
            assertThat(setup.shell("git init -q -b main && git add README.md && git -c user.name=Magpie"
                    + " -c user.email=magpie@bot commit -q -m 'first commit'")).succeeded();
        }
    }

    @Test
    void aParallelSuitePreparesOnceAndEachTestStartsFromItsOwnCopy() throws Exception {
        EngineRun run = EngineRun.run(PreparedEach.class, "fixture.repo", repo.toString(),
                "fixture.counter", counter.toString(),
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "4");

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(12).failed(0));
        assertThat(Files.readAllLines(counter)).hasSize(1);
        assertThat(run.dirs()).hasSize(12).doesNotHaveDuplicates().allSatisfy(d -> assertThat(d).doesNotExist());
    }

    @Test
    void declarationsThatDifferOnlyInTheirEnvironmentArePreparedEachWithItsOwn() throws Exception {
        EngineRun run = EngineRun.run(TwoFlavours.class, "fixture.repo", repo.toString(),
                "fixture.counter", counter.toString());

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0));
        assertThat(Files.readAllLines(counter)).hasSize(2);
    }

    @Test
    void aPreparationOutlastingTheConfiguredTimeoutFailsTheTestNamingTheTimeout() throws Exception {
        EngineRun run = EngineRun.run(SlowPreparation.class, "fixture.repo", repo.toString(),
                "fixture.counter", counter.toString(), Preparation.TIMEOUT_KEY, "1s");

        assertThat(run.throwableOf("needsIt")).hasRootCauseInstanceOf(PreparationException.class)
                .hasMessageContaining("sleep 3172").hasMessageContaining("timed out after 1000 ms")
                .hasMessageContaining("raise " + Preparation.TIMEOUT_KEY);
        assertThat(Files.readAllLines(counter)).hasSize(1);
    }

    @Test
    void aFailedPreparationFailsEveryTestThatNeedsItWithItsTranscriptAndRunsOnce() throws Exception {
        EngineRun run = EngineRun.run(FailingPreparation.class, "fixture.repo", repo.toString(),
                "fixture.counter", counter.toString());

        run.results().testEvents().assertStatistics(stats -> stats.failed(3).succeeded(0));
        for (Event failed : run.results().testEvents().failed().list()) {
            Throwable thrown = failed.getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class)
                    .getThrowable().orElseThrow();
            assertThat(thrown).hasRootCauseInstanceOf(PreparationException.class).hasMessageContaining("exit code 7")
                    .hasMessageContaining("missing-toolchain");
        }
        assertThat(Files.readAllLines(counter)).hasSize(1);
    }
}
