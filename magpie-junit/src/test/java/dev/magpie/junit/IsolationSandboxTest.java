package dev.magpie.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.sandbox.Workspace;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** {@code @Sandbox(isolation = ...)} chooses how a local sandbox's commands are isolated, over the configuration. */
class IsolationSandboxTest {

    static class Isolated {
        @Test
        void runsInNamespaces(@Sandbox(isolation = "namespaces") Workspace sandbox) {
            assertThat(sandbox.exec("pwd").stdout()).isEqualTo("/workspace\n");
            assertThat(sandbox.exec("sh", "-c", "ls -A ~").stdout()).isEmpty();
        }

        @Test
        void runsInTheDirectory(@Sandbox(isolation = "none") Workspace sandbox) {
            assertThat(sandbox.exec("pwd").stdout()).isEqualTo(sandbox.workingDir() + "\n");
            assertThat(sandbox.workingDir()).isNotEqualTo("/workspace");
        }
    }

    @Test
    void theAnnotationChoosesTheIsolation() {
        EngineRun run = EngineRun.run(Isolated.class, "magpie.local.isolation", "namespaces");

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0).aborted(0));
    }

    @Test
    void withoutBubblewrapTheTestIsSkippedWithTheReason() {
        EngineRun run = EngineRun.run(Isolated.class, "magpie.local.bwrap", "/nonexistent/bwrap");

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(1).aborted(1));
        assertThat(run.throwableOf("runsInNamespaces")).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("bubblewrap").hasMessageContaining("/nonexistent/bwrap");
    }

    @Test
    void withoutBubblewrapARequiredProviderFailsTheTest() {
        EngineRun run = EngineRun.run(Isolated.class, "magpie.local.bwrap", "/nonexistent/bwrap",
                Sandbox.REQUIRED_PROPERTY_NAME, "true");

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(1).failed(1));
    }

    static class Misspelt {
        @Test
        void test(@Sandbox(isolation = "chroot") Workspace sandbox) {
        }
    }

    @Test
    void anUnknownIsolationFailsNamingTheDeclaration() {
        EngineRun run = EngineRun.run(Misspelt.class);

        run.results().testEvents().assertStatistics(stats -> stats.failed(1));
        assertThat(run.throwableOf("test")).hasMessageContaining("Misspelt.test").hasMessageContaining("chroot");
    }
}
