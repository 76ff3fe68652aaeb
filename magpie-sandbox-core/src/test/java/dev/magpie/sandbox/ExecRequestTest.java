package dev.magpie.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Requests are immutable but for a stdin array: builders copy on build, and bad values are refused where given. */
class ExecRequestTest {

    @Test
    void builderCopiesOnBuildAndNewBuilderStartsFromTheRequest() throws Exception {
        byte[] input = "in".getBytes(StandardCharsets.UTF_8);
        ExecRequest.Builder builder = ExecRequest.builder("git", "status").arg("--short").env("A", "1")
                .subdirectory("sub").stdin(input).timeout(Duration.ofSeconds(5)).outputLimit(64);
        ExecRequest first = builder.build();
        input[0] = 'X';
        builder.arg("--branch").env("B", "2");
        ExecRequest second = builder.build();

        assertThat(first.command()).containsExactly("git", "status", "--short");
        assertThat(first.env()).containsOnlyKeys("A");
        // The array is shared, not copied, so that a large stdin costs no extra memory.
        assertThat(first.openStdin()).hasContent("Xn");
        assertThat(first.stdinLength()).hasValue(2);
        assertThat(second.command()).containsExactly("git", "status", "--short", "--branch");
        ExecRequest copy = second.newBuilder().build();
        assertThat(copy.command()).isEqualTo(second.command());
        assertThat(copy.env()).isEqualTo(second.env());
        assertThat(copy.subdirectory()).contains("sub");
        assertThat(copy.timeout()).contains(Duration.ofSeconds(5));
        assertThat(copy.outputLimit()).isEqualTo(64);
        assertThat(copy.openStdin()).hasContent("Xn");
        assertThat(ExecRequest.of("true").hasStdin()).isFalse();
        assertThat(ExecRequest.shell("echo hi").command()).containsExactly("sh", "-c", "echo hi");
    }

    @Test
    void badValuesAreRefusedWithTheValue() {
        assertThatThrownBy(() -> ExecRequest.builder(" ")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> ExecRequest.builder("ls", (String) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ExecRequest.builder("ls").arg("-l", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("argument");
        assertThatThrownBy(() -> ExecRequest.builder("ls").timeout(Duration.ZERO))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> ExecRequest.builder("ls").outputLimit(1))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("was 1");
    }
}
