package dev.magpie.junit;

import static dev.magpie.junit.EngineRun.DIR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.local.LocalWorkspace;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** When sandboxes are created and destroyed, per declaration kind. */
class LifecycleTest {

    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class Timing {
        @Sandbox
        static Workspace shared;
        @Sandbox
        Workspace field;

        @Test
        void a(@Sandbox Workspace param, TestReporter reporter) {
            assertThat(List.of(shared.workingDir(), field.workingDir(), param.workingDir())).doesNotHaveDuplicates()
                    .allSatisfy(dir -> assertThat(Path.of(dir)).isDirectory());
            shared.writeString("first-test-dirs", field.workingDir() + "\n" + param.workingDir());
            List.of(shared, field, param).forEach(ws -> reporter.publishEntry(DIR, ws.workingDir()));
        }

        @Test
        void b(TestReporter reporter) {
            for (String dir : shared.readString("first-test-dirs").split("\n")) {
                assertThat(Path.of(dir)).as("sandbox of the previous test").doesNotExist();
            }
            assertThat(Path.of(field.workingDir())).isDirectory();
            reporter.publishEntry(DIR, field.workingDir());
        }

        @AfterEach
        void perTestSandboxLivesThroughAfterEach() {
            assertThat(Path.of(field.workingDir())).isDirectory();
        }

        @AfterAll
        static void classSandboxLivesThroughAfterAll() {
            assertThat(shared.readString("first-test-dirs")).isNotEmpty();
        }
    }

    @Test
    void perTestSandboxesEndWithTheirTestAndClassSandboxesWithTheClass() {
        EngineRun run = EngineRun.run(Timing.class);

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0));
        List<Path> dirs = run.dirs();
        assertThat(dirs).hasSize(4);
        assertThat(dirs.subList(1, 4)).as("per-test sandboxes").doesNotHaveDuplicates().doesNotContain(dirs.get(0));
        assertThat(dirs).allSatisfy(dir -> assertThat(dir).doesNotExist());
    }

    static class LifecycleParameters {
        @BeforeAll
        static void all(@Sandbox Workspace perClass, TestReporter reporter) {
            reporter.publishEntry(DIR, perClass.workingDir());
        }

        @BeforeEach
        void each(@Sandbox Workspace perTest, TestReporter reporter) {
            reporter.publishEntry(DIR, perTest.workingDir());
        }

        @Test
        void one(@Sandbox LocalWorkspace own, TestReporter reporter) {
            assertThat(own.directory()).isDirectory();
            reporter.publishEntry(DIR, own.workingDir());
        }

        @Test
        void two() {
        }
    }

    @Test
    void lifecycleMethodParametersGetTheirOwnSandboxes() {
        EngineRun run = EngineRun.run(LifecycleParameters.class);

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(2));
        assertThat(run.dirs()).hasSize(4).doesNotHaveDuplicates().allSatisfy(dir -> assertThat(dir).doesNotExist());
    }

    static class ConstructorParameter {
        private final Workspace sandbox;

        ConstructorParameter(@Sandbox Workspace sandbox) {
            this.sandbox = sandbox;
        }

        @Test
        void one(TestReporter reporter) {
            reporter.publishEntry(DIR, sandbox.workingDir());
        }

        @Test
        void two(TestReporter reporter) {
            reporter.publishEntry(DIR, sandbox.workingDir());
        }
    }

    @Test
    void aConstructorParameterBelongsToEachTest() {
        EngineRun run = EngineRun.run(ConstructorParameter.class);

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(2));
        assertThat(run.dirs()).hasSize(2).doesNotHaveDuplicates().allSatisfy(dir -> assertThat(dir).doesNotExist());
    }

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class PerClassConstructor extends ConstructorParameter {
        PerClassConstructor(@Sandbox Workspace sandbox) {
            super(sandbox);
        }
    }

    @Test
    void aConstructorParameterOfAPerClassInstanceBelongsToTheClass() {
        EngineRun run = EngineRun.run(PerClassConstructor.class);

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(2));
        assertThat(run.dirs()).hasSize(2).allSatisfy(dir -> assertThat(dir).doesNotExist());
        assertThat(run.dirs().get(0)).isEqualTo(run.dirs().get(1));
    }

    static class Outer {
        @Sandbox
        Workspace outerField;

        @Nested
        class Inner {
            @Sandbox
            Workspace innerField;
            private final Workspace fromConstructor;

            Inner(@Sandbox Workspace fromConstructor) {
                this.fromConstructor = fromConstructor;
            }

            @Test
            void all(TestReporter reporter) {
                List.of(outerField, innerField, fromConstructor).forEach(ws -> reporter.publishEntry(DIR, ws.workingDir()));
            }
        }
    }

    @Test
    void nestedTestsGetTheFieldsOfEveryEnclosingInstance() {
        EngineRun run = EngineRun.run(Outer.class);

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(1));
        assertThat(run.dirs()).hasSize(3).doesNotHaveDuplicates().allSatisfy(dir -> assertThat(dir).doesNotExist());
    }

    @ExtendWith(SandboxExtension.class)
    static class ExplicitRegistration {
        @Sandbox(cleanup = CleanupMode.NEVER)
        Workspace field;

        @Test
        void one(@Sandbox Workspace param, TestReporter reporter) {
            reporter.publishEntry(DIR, field.workingDir());
            reporter.publishEntry(DIR, param.workingDir());
        }
    }

    @Test
    void explicitRegistrationCreatesEachSandboxOnce() throws Exception {
        EngineRun run = EngineRun.run(ExplicitRegistration.class);

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(1));
        List<Path> dirs = run.dirs();
        EngineRun.deleteKept(dirs.subList(0, 1));
        assertThat(run.reported(Sandbox.KEPT_REPORT_KEY)).as("one kept field sandbox, so created once").hasSize(1);
        assertThat(dirs.get(1)).doesNotExist();
    }

    /** A composed annotation: teams name their common sandboxes once. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @Sandbox(path = "${fixture.dir}", env = "GREETING=hello ${fixture.name}", cleanup = CleanupMode.NEVER)
    @interface FixtureDir {
    }

    static class ExistingPath {
        @Test
        void usesIt(@FixtureDir Workspace sandbox) {
            assertThat(sandbox.readString("kept.txt")).isEqualTo("mine");
            assertThat(sandbox.shell("echo $GREETING").stdout()).isEqualTo("hello magpie\n");
        }
    }

    @Test
    void anExistingPathIsUsedWithPlaceholdersAndNeverDeleted(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("kept.txt"), "mine");

        EngineRun run = EngineRun.run(ExistingPath.class, "fixture.dir", dir.toString(), "fixture.name", "magpie");

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(1));
        assertThat(dir.resolve("kept.txt")).hasContent("mine");
        assertThat(run.reported(Sandbox.KEPT_REPORT_KEY)).as("nothing of ours to keep").isEmpty();
    }
}
