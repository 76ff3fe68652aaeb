package dev.magpie.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.daytona.DaytonaWorkspace;
import dev.magpie.sandbox.local.LocalWorkspace;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Wrong types and contradictory attributes fail with a message naming the declaration and what is allowed. */
class DeclarationErrorsTest {

    static class WrongParameterType {
        @Test
        void test(@Sandbox String sandbox) {
        }
    }

    @Test
    void aParameterOfAnotherTypeIsRefused() {
        assertThat(failureOf(WrongParameterType.class, "test"))
                .hasMessageContaining("@Sandbox on parameter 0 of method WrongParameterType.test(String)")
                .hasMessageContaining("it is declared as java.lang.String, but @Sandbox injects only "
                        + "dev.magpie.sandbox.Workspace or a provider's type that implements it");
    }

    static class WrongFieldType {
        @Sandbox
        Path sandbox;

        @Test
        void test() {
        }
    }

    @Test
    void aFieldOfAnotherTypeFailsTheWholeClassUpFront() {
        EngineRun run = EngineRun.run(WrongFieldType.class);

        run.results().testEvents().assertStatistics(stats -> stats.started(0));
        assertThat(run.throwableOf("DeclarationErrorsTest$WrongFieldType"))
                .hasMessageContaining("@Sandbox on field WrongFieldType.sandbox: it is declared as java.nio.file.Path");
    }

    static class FinalField {
        @Sandbox
        static final Workspace SANDBOX = null;

        @Test
        void test() {
        }
    }

    @Test
    void aFinalFieldIsRefused() {
        assertThat(failureOf(FinalField.class, "DeclarationErrorsTest$FinalField"))
                .hasMessageContaining("@Sandbox on static field FinalField.SANDBOX: it is final");
    }

    static class ProviderTypeMismatch {
        @Test
        void test(@Sandbox(provider = "daytona", snapshot = "magpie-test") LocalWorkspace sandbox) {
        }
    }

    @Test
    void aProviderTypeMustMatchTheSelectedProvider() {
        assertThat(failureOf(ProviderTypeMismatch.class, "test"))
                .hasMessageContaining("@Sandbox on parameter 0 of method ProviderTypeMismatch.test(LocalWorkspace)")
                .hasMessageContaining("declared as LocalWorkspace, but its attributes select the daytona provider, "
                        + "which creates DaytonaWorkspace. Declare Workspace or DaytonaWorkspace, or set provider = "
                        + "\"local\".");
    }

    static class RemoteTypeForALocalSandbox {
        @Test
        void test(@Sandbox DaytonaWorkspace sandbox) {
        }
    }

    @Test
    void aRemoteTypeNeedsItsProvider() {
        assertThat(failureOf(RemoteTypeForALocalSandbox.class, "test")).hasMessageContaining("declared as "
                + "DaytonaWorkspace, but its attributes select the local provider, which creates LocalWorkspace. Declare"
                + " Workspace or LocalWorkspace, or set provider = \"daytona\".");
    }

    static class Contradictions {
        @Test
        void pathAndClone(@Sandbox(path = "/tmp", cloneFrom = "acme/widgets") Workspace sandbox) {
        }

        @Test
        void refWithoutClone(@Sandbox(ref = "main") Workspace sandbox) {
        }

        @Test
        void localSnapshot(@Sandbox(provider = "local", snapshot = "img") Workspace sandbox) {
        }

        @Test
        void badEnv(@Sandbox(env = "NO_EQUALS_SIGN") Workspace sandbox) {
        }

        @Test
        void missingPlaceholder(@Sandbox(cloneFrom = "${magpie.fixture.unset}") Workspace sandbox) {
        }
    }

    @Test
    void contradictoryOrIncompleteAttributesAreRefused() {
        EngineRun run = EngineRun.run(Contradictions.class);

        run.results().testEvents().assertStatistics(stats -> stats.failed(5));
        assertThat(run.throwableOf("pathAndClone")).hasMessageContaining("parameter 0 of method "
                + "Contradictions.pathAndClone(Workspace): path and cloneFrom exclude each other, but both are set: "
                + "path = '/tmp', cloneFrom = 'acme/widgets'. Keep one of them.");
        assertThat(run.throwableOf("refWithoutClone")).hasMessageContaining("ref 'main' needs cloneFrom");
        assertThat(run.throwableOf("localSnapshot")).hasMessageContaining("snapshot 'img' needs the docker or daytona"
                + " provider, but provider = local");
        assertThat(run.throwableOf("badEnv")).hasMessageContaining("env entry 'NO_EQUALS_SIGN' is not NAME=value");
        assertThat(run.throwableOf("missingPlaceholder")).hasMessageContaining("needs a value for "
                + "${magpie.fixture.unset}").hasMessageContaining("MAGPIE_FIXTURE_UNSET");
    }

    static class SecondParameterWrong {
        @Test
        void test(@Sandbox(cleanup = CleanupMode.NEVER) Workspace first, @Sandbox Object second) {
        }
    }

    @Test
    void everyParameterIsCheckedBeforeAnySandboxIsCreated() {
        EngineRun run = EngineRun.run(SecondParameterWrong.class);

        assertThat(run.throwableOf("test")).hasMessageContaining("parameter 1 of method SecondParameterWrong.test");
        assertThat(run.reported(Sandbox.KEPT_REPORT_KEY)).as("the first sandbox was never created").isEmpty();
    }

    private static Throwable failureOf(Class<?> fixture, String name) {
        return EngineRun.run(fixture).throwableOf(name);
    }
}
