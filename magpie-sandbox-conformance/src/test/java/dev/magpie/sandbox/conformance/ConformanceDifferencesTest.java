package dev.magpie.sandbox.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.magpie.sandbox.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** A declared difference skips exactly the cases it covers, with the provider's reason. */
class ConformanceDifferencesTest {

    @Test
    void theCasesADifferenceCoversAreSkippedWithItsReasonAndTheOthersRun() {
        Events tests = EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(DifferingProvider.class, "aProcessKilledBySignalReportsMinusOne"),
                        selectMethod(DifferingProvider.class, "theListenerHearsLinesWhileTheCommandRuns"),
                        selectMethod(DifferingProvider.class, "aNonZeroExitIsDataNotAnException"))
                .execute().testEvents();

        assertThat(tests.aborted().map(e -> e.getTestDescriptor().getDisplayName() + " "
                + e.getPayload(TestExecutionResult.class).orElseThrow().getThrowable()
                        .orElseThrow().getMessage()).toList()).containsExactlyInAnyOrder(
                "aProcessKilledBySignalReportsMinusOne() Assumption failed: local differs (SIGNAL_EXIT_CODE): "
                        + "the service reports the wrapper's status",
                "theListenerHearsLinesWhileTheCommandRuns() Assumption failed: local differs (LISTENER_AFTER_EXIT): "
                        + "the service hands out logs at the end");
        assertThat(tests.succeeded().map(e -> e.getTestDescriptor().getDisplayName()).toList())
                .containsExactly("aNonZeroExitIsDataNotAnException()");
    }

    @Test
    void aDeclaredDifferenceLeavesTheOriginalAsItWas() {
        Differences none = Differences.none();

        Differences some = none.with(Difference.LISTENER_AFTER_EXIT, "logs come when the command ends");

        assertThat(some.reason(Difference.LISTENER_AFTER_EXIT)).contains("logs come when the command ends");
        assertThat(some.reason(Difference.SIGNAL_EXIT_CODE)).isEmpty();
        assertThat(none.reason(Difference.LISTENER_AFTER_EXIT)).isEmpty();
    }

    @Test
    void aDifferenceWithoutAReasonIsRefused() {
        assertThatThrownBy(() -> Differences.none().with(Difference.SIGNAL_EXIT_CODE, " "))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("SIGNAL_EXIT_CODE");
    }
}
