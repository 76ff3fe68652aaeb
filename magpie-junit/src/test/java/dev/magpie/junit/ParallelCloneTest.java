package dev.magpie.junit;

import static dev.magpie.junit.EngineRun.DIR;
import static dev.magpie.junit.SandboxAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.local.LocalWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

/** 24 tests on 4 threads, each with its own clone of a real repository: isolated, and nothing left behind. */
class ParallelCloneTest {

    static class CloneEach {
        @RepeatedTest(24)
        void buildsInItsOwnClone(@Sandbox(cloneFrom = "${fixture.repo}") Workspace sandbox, RepetitionInfo repetition,
                TestReporter reporter) {
            reporter.publishEntry(DIR, sandbox.workingDir());
            reporter.publishEntry("thread", Thread.currentThread().getName());
            assertThat(sandbox.readString("README.md")).isEqualTo("widgets\n");
            String mine = "output-" + repetition.getCurrentRepetition() + ".txt";
            sandbox.writeString(mine, "built");

            assertThat(sandbox.exec("git", "status", "--porcelain")).succeeded().stdout().isEqualTo("?? " + mine + "\n");
            assertThat(sandbox.exec("git", "log", "--format=%s")).succeeded().stdout().isEqualTo("first commit\n");
        }
    }

    @Test
    void eachParallelTestGetsItsOwnCloneAndLeavesNothing(@TempDir Path repo) throws Exception {
        Files.writeString(repo.resolve("README.md"), "widgets\n");
        try (Workspace setup = LocalWorkspace.fromPath(repo)) {
            assertThat(setup.shell("git init -q -b main && git add README.md && git -c user.name=Magpie"
                    + " -c user.email=magpie@bot commit -q -m 'first commit'")).succeeded();
        }

        EngineRun run = EngineRun.run(CloneEach.class, "fixture.repo", repo.toString(),
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "4");

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(24).failed(0).aborted(0));
        List<Path> dirs = run.dirs();
        assertThat(dirs).hasSize(24).doesNotHaveDuplicates().allSatisfy(dir -> assertThat(dir).doesNotExist());
        assertThat(new HashSet<>(run.reported("thread"))).as("threads that ran the tests").hasSizeGreaterThan(1);
        try (Workspace source = LocalWorkspace.fromPath(repo)) {
            assertThat(source.exec("git", "status", "--porcelain")).succeeded().stdout().isEmpty();
        }
    }
}
