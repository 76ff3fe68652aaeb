package dev.magpie.junit;

import static dev.magpie.junit.EngineRun.DIR;
import static dev.magpie.junit.SandboxAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.local.LocalWorkspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** {@code @Sandbox(pool = ...)}: parallel tests on pooled clones, each fresh, and nothing left when the run ends. */
class PoolSandboxTest {

    static class PooledClones {
        private FileTime started;

        /** Runs before the extension resolves the test's sandbox parameter. */
        @BeforeEach
        void start() {
            started = FileTime.from(Instant.now());
        }

        @RepeatedTest(12)
        void buildsInAFreshClone(@Sandbox(cloneFrom = "${fixture.repo}", pool = "${fixture.pool}") Workspace sandbox,
                RepetitionInfo repetition, TestReporter reporter) throws IOException {
            reporter.publishEntry(DIR, sandbox.workingDir());
            // a clone writes its HEAD once, when it is made: before the test started, it came from the pool
            FileTime cloned = Files.getLastModifiedTime(Path.of(sandbox.workingDir(), ".git", "HEAD"));
            reporter.publishEntry(MADE_AHEAD, String.valueOf(cloned.compareTo(started) < 0));
            String mine = "output-" + repetition.getCurrentRepetition() + ".txt";
            sandbox.writeString(mine, "built");

            assertThat(sandbox.exec("git", "status", "--porcelain")).succeeded().stdout().isEqualTo("?? " + mine + "\n");
            assertThat(sandbox.transcript().entries()).hasSize(1);
        }
    }

    static class BadPool {
        @Test
        void test(@Sandbox(pool = "lots") Workspace sandbox) {
        }
    }

    static class ConfiguredPool {
        @Test
        void test(@Sandbox Workspace sandbox, TestReporter reporter) {
            reporter.publishEntry(DIR, sandbox.workingDir());
        }
    }

    private static final String MADE_AHEAD = "made-ahead";

    @Test
    void parallelTestsTakeFreshPooledClonesAndTheEndOfTheSessionDrainsThePool(@TempDir Path repo)
            throws IOException {
        commit(repo);
        List<String> dirs = new ArrayList<>();
        List<String> madeAhead = new ArrayList<>();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        Path root;
        try (LauncherSession session = LauncherFactory.openSession()) {
            session.getLauncher().execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(PooledClones.class))
                    .configurationParameters(Map.of("fixture.repo", repo.toString(), "fixture.pool", "3",
                            "junit.jupiter.execution.parallel.enabled", "true",
                            "junit.jupiter.execution.parallel.mode.default", "concurrent",
                            "junit.jupiter.execution.parallel.config.strategy", "fixed",
                            "junit.jupiter.execution.parallel.config.fixed.parallelism", "4"))
                    .build(), summary, new org.junit.platform.launcher.TestExecutionListener() {
                        @Override
                        public void reportingEntryPublished(org.junit.platform.launcher.TestIdentifier id,
                                org.junit.platform.engine.reporting.ReportEntry entry) {
                            synchronized (dirs) {
                                Optional.ofNullable(entry.getKeyValuePairs().get(DIR)).ifPresent(dirs::add);
                                Optional.ofNullable(entry.getKeyValuePairs().get(MADE_AHEAD))
                                        .ifPresent(madeAhead::add);
                            }
                        }
                    });
            assertThat(summary.getSummary().getTestsSucceededCount()).as(failures(summary.getSummary()))
                    .isEqualTo(12);
            root = Path.of(dirs.get(0)).getParent();
            awaitClones(root, 3);
        }

        assertThat(clones(root)).as("pooled clones once the session is closed").isEmpty();
        assertThat(dirs).hasSize(12).doesNotHaveDuplicates().allSatisfy(dir -> assertThat(Path.of(dir))
                .doesNotExist());
        assertThat(madeAhead).as("whether each test's clone was made before the test started").hasSize(12)
                .contains("true");
    }

    @Test
    void aPoolThatIsNotASizeFailsTheTestNamingTheDeclaration() {
        assertThat(EngineRun.run(BadPool.class).throwableOf("test")).hasMessageContaining("parameter 0 of method")
                .hasMessageContaining("pool 'lots' is not a pool size");
    }

    @Test
    void aMalformedPoolKeyInTheConfigurationFailsTheTestBeforeAnySandboxIsCreated() throws IOException {
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "magpie-sandboxes");
        List<String> before = ownEntries(root);

        EngineRun run = EngineRun.run(ConfiguredPool.class, "magpie.pool.size", "2", "magpie.pool.inflight", "none");

        assertThat(run.throwableOf("test")).hasCauseInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("magpie.pool.inflight").hasMessageContaining("'none'");
        assertThat(ownEntries(root)).as("this JVM's sandbox directories").containsExactlyInAnyOrderElementsOf(before);
    }

    /** This JVM's entries in the sandboxes' temporary root, none when it does not exist yet. */
    private static List<String> ownEntries(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        String prefix = "magpie-" + ProcessHandle.current().pid() + "-";
        try (Stream<Path> entries = Files.list(root)) {
            return entries.map(p -> p.getFileName().toString()).filter(name -> name.startsWith(prefix)).toList();
        }
    }

    private static String failures(TestExecutionSummary summary) {
        StringBuilder out = new StringBuilder();
        summary.getFailures().forEach(f -> out.append(f.getTestIdentifier().getDisplayName()).append(": ")
                .append(f.getException()).append('\n'));
        return out.toString();
    }

    /** The pool refills in the background after the last take. */
    private static void awaitClones(Path root, int count) throws IOException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (clones(root).size() != count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Expected " + count + " pooled clones while the session is open, found "
                        + clones(root));
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for the pool", e);
            }
        }
    }

    /** This JVM's clone directories beside the sandboxes'. */
    private static List<String> clones(Path root) throws IOException {
        String prefix = "magpie-" + ProcessHandle.current().pid() + "-";
        try (Stream<Path> entries = Files.list(root)) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(name -> name.startsWith(prefix) && name.contains("-clone-")).toList();
        }
    }

    private static void commit(Path repo) throws IOException {
        Files.writeString(repo.resolve("README.md"), "widgets\n");
        try (Workspace setup = LocalWorkspace.fromPath(repo)) {
            assertThat(setup.shell("git init -q -b main && git add README.md && git -c user.name=Magpie"
                    + " -c user.email=magpie@bot commit -q -m 'first commit'")).succeeded();
        }
    }
}
