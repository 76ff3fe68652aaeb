package dev.magpie.junit;

import static dev.magpie.junit.EngineRun.DIR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.junit.thirdparty.ScratchProvider;
import dev.magpie.junit.thirdparty.ScratchWorkspace;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.Workspaces;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * A provider that the extension has never heard of, added by a jar on the test classpath (here: this module's
 * test classes and their META-INF/services entry), is selected, injected, kept and refused like a built-in one.
 */
class ThirdPartyProviderTest {

    private EngineRun run;

    @AfterEach
    void deleteWhatWasKept() throws Exception {
        if (run != null) {
            EngineRun.deleteKept(run.dirs());
        }
    }

    static class Injected {
        @Test
        void byItsType(@Sandbox(provider = "scratch", snapshot = "blank", env = "GREETING=hi") ScratchWorkspace sandbox,
                       TestReporter reporter) {
            reporter.publishEntry(DIR, sandbox.workingDir());
            assertThat(sandbox.label()).isEqualTo("blank");
            assertThat(sandbox.shell("echo $GREETING").stdout()).isEqualTo("hi\n");
        }

        @Test
        void asAWorkspace(@Sandbox(provider = "${scratch.provider.name}") Workspace sandbox, TestReporter reporter) {
            reporter.publishEntry(DIR, sandbox.workingDir());
            assertThat(sandbox.provider()).isEqualTo(ProviderId.of("scratch"));
        }

        @Test
        void kept(@Sandbox(provider = "scratch", cleanup = CleanupMode.NEVER) Workspace sandbox, TestReporter reporter) {
            reporter.publishEntry(DIR, sandbox.workingDir());
        }
    }

    @Test
    void isRegisteredAfterTheBuiltInProviders() {
        assertThat(Workspaces.providers()).extracting(provider -> provider.id().name())
                .containsExactly("local", "docker", "daytona", "scratch");
    }

    @Test
    void isSelectedByNameCreatedAndDestroyedOrKeptAsItsProviderDescribes() {
        run = EngineRun.run(Injected.class, "scratch.provider.name", "scratch");

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(3));
        assertThat(run.dirs()).hasSize(3);
        assertThat(run.dirs().subList(0, 2)).noneMatch(Files::exists);
        Path kept = run.dirs().get(2);
        assertThat(kept).isDirectory();
        assertThat(run.reported(Sandbox.KEPT_REPORT_KEY)).singleElement().asString()
                .contains("CleanupMode.NEVER").contains("scratch space " + kept);
    }

    static class Refused {
        @Test
        void cloning(@Sandbox(provider = "scratch", cloneFrom = "acme/widgets") Workspace sandbox) {
        }

        @Test
        void unknownName(@Sandbox(provider = "scratchy") Workspace sandbox) {
        }

        @Test
        void wrongType(@Sandbox ScratchWorkspace sandbox) {
        }

        @Test
        void unavailable(@Sandbox(provider = "scratch") Workspace sandbox) {
        }
    }

    @Test
    void itsRefusalsAndUnavailabilityReachTheTestAsForABuiltInProvider() {
        run = EngineRun.run(Refused.class, ScratchProvider.AVAILABLE_KEY, "false");

        assertThat(run.throwableOf("cloning")).hasMessageContaining("The scratch provider cannot clone")
                .hasMessageContaining("'acme/widgets'");
        assertThat(run.throwableOf("unknownName")).hasMessageContaining("No provider named 'scratchy'")
                .hasMessageContaining("local, docker, daytona, scratch");
        assertThat(run.throwableOf("wrongType")).hasMessageContaining("declared as ScratchWorkspace, but its "
                + "attributes select the local provider").hasMessageContaining("set provider = \"scratch\"");
        run.results().testEvents().assertStatistics(stats -> stats.failed(3).aborted(1));
        assertThat(run.throwableOf("unavailable")).hasMessageContaining("switched off by scratch.available");
    }
}
