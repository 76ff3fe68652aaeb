package dev.magpie.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.ProviderUnavailableException;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * An unavailable provider skips the test, or fails it when required; any other error fails it. The Daytona
 * provider stands in for an unavailable one: it needs DAYTONA_API_KEY, which the build never sets.
 */
class AvailabilityTest {

    static class Unavailable {
        @Test
        void needsDaytona(@Sandbox(provider = "daytona", snapshot = "magpie-test") Workspace sandbox) {
        }
    }

    @Test
    void anUnavailableProviderSkipsTheTestWithTheReason() {
        EngineRun run = EngineRun.run(Unavailable.class);

        run.results().testEvents().assertStatistics(stats -> stats.aborted(1).failed(0));
        assertThat(run.throwableOf("needsDaytona")).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("parameter 0 of method Unavailable.needsDaytona(Workspace)")
                .hasMessageContaining("The daytona provider is not available here")
                .hasMessageContaining("magpie.daytona.required=true");
    }

    @Test
    void aRequiredProviderFailsTheTestInstead() {
        EngineRun run = EngineRun.run(Unavailable.class, Sandbox.REQUIRED_PROPERTY_NAME, "true");

        run.results().testEvents().assertStatistics(stats -> stats.failed(1).aborted(0));
        assertThat(run.throwableOf("needsDaytona")).hasMessageContaining("daytona provider is required here")
                .hasMessageContaining("magpie.sandbox.required=true");
    }

    @Test
    void theProviderKeyWinsOverTheGeneralOne() {
        EngineRun run = EngineRun.run(Unavailable.class,
                Sandbox.REQUIRED_PROPERTY_NAME, "false", "magpie.daytona.required", "true");

        run.results().testEvents().assertStatistics(stats -> stats.failed(1));
        assertThat(run.throwableOf("needsDaytona")).hasMessageContaining("magpie.daytona.required=true");
    }

    static class RequiredByAnnotation {
        @Test
        void needsDaytona(@Sandbox(provider = "daytona", snapshot = "magpie-test", required = true)
                Workspace sandbox) {
        }
    }

    @Test
    void theAnnotationCanRequireTheProvider() {
        EngineRun run = EngineRun.run(RequiredByAnnotation.class);

        run.results().testEvents().assertStatistics(stats -> stats.failed(1));
        assertThat(run.throwableOf("needsDaytona")).hasMessageContaining("@Sandbox(required = true)");
    }

    static class UnavailableEverywhere {
        @Sandbox(provider = "daytona", snapshot = "magpie-test")
        Workspace field;

        @BeforeAll
        static void before(@Sandbox(provider = "daytona", snapshot = "magpie-test") Workspace sandbox) {
        }

        @Test
        void test() {
        }
    }

    static class UnavailableField {
        @Sandbox(provider = "daytona", snapshot = "magpie-test")
        Workspace field;

        @Test
        void test() {
        }
    }

    @Test
    void fieldsAndLifecycleParametersAreSkippedToo() {
        EngineRun run = EngineRun.run(UnavailableEverywhere.class);
        run.results().containerEvents().assertStatistics(stats -> stats.aborted(1).failed(0));
        run.results().testEvents().assertStatistics(stats -> stats.failed(0));

        run = EngineRun.run(UnavailableField.class);
        run.results().testEvents().assertStatistics(stats -> stats.aborted(1).failed(0));
        assertThat(run.throwableOf("test")).hasMessageContaining("field UnavailableField.field");
    }

    static class OtherError {
        @Test
        void missingPath(@Sandbox(path = "/no/such/magpie/dir") Workspace sandbox) {
        }
    }

    @Test
    void anyOtherErrorFailsEvenWhenProvidersAreOptional() {
        EngineRun run = EngineRun.run(OtherError.class);

        run.results().testEvents().assertStatistics(stats -> stats.failed(1).aborted(0));
        assertThat(run.throwableOf("missingPath"))
                .hasMessageContaining("Could not create the sandbox for parameter 0 of method OtherError.missingPath")
                .hasMessageContaining("/no/such/magpie/dir does not exist");
    }

    @Test
    void ciTrueRequiresEveryProviderUnlessConfiguredOtherwise() {
        Declaration declaration = new Declaration(Workspace.class, Unavailable.class.getDeclaredMethods()[0]
                .getParameters()[0].getAnnotation(Sandbox.class), "parameter 0 of method Unavailable.needsDaytona");
        ProviderUnavailableException cause = new ProviderUnavailableException(ProviderId.DAYTONA, "DAYTONA_API_KEY is not set");
        Settings ci = Settings.builder().environment(Map.of("CI", "true")).build();
        Settings ciButOptional = Settings.builder().environment(Map.of("CI", "true"))
                .values(Map.of("magpie.daytona.required", "false")).build();
        Settings local = Settings.builder().environment(Map.of()).build();

        assertThat(new Availability(ci).unavailable(declaration, cause)).isNotInstanceOf(TestAbortedException.class)
                .hasMessageContaining("the environment variable CI is true; set magpie.daytona.required=false");
        assertThat(new Availability(ciButOptional).unavailable(declaration, cause))
                .isInstanceOf(TestAbortedException.class);
        assertThat(new Availability(local).unavailable(declaration, cause)).isInstanceOf(TestAbortedException.class);
    }
}
