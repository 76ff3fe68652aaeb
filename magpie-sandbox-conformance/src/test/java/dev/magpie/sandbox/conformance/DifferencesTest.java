package dev.magpie.sandbox.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DifferencesTest {

    @Test
    void aDeclaredDifferenceKeepsItsReasonAndLeavesTheOriginalAsItWas() {
        Differences none = Differences.none();

        Differences some = none.with(Difference.LISTENER_AFTER_EXIT, "logs come when the command ends");

        assertThat(some.reason(Difference.LISTENER_AFTER_EXIT)).contains("logs come when the command ends");
        assertThat(some.reason(Difference.SIGNAL_EXIT_CODE)).isEmpty();
        assertThat(none.reason(Difference.LISTENER_AFTER_EXIT)).isEmpty();
    }

    @Test
    void aDifferenceWithoutAReasonIsRefused() {
        assertThatThrownBy(() -> Differences.none().with(Difference.SIGNAL_EXIT_CODE, " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SIGNAL_EXIT_CODE");
    }
}
