package dev.magpie.junit;

import dev.magpie.sandbox.ExecResult;
import org.assertj.core.api.AbstractObjectAssert;
import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.presentation.Representation;
import org.assertj.core.presentation.StandardRepresentation;

/**
 * Assertions on an {@link ExecResult}. Every failure message shows the command, its exit code and the tail of
 * its stderr, so that a failed build step can be diagnosed from the test report alone. Every message, AssertJ's
 * own included ({@code stdout().contains(..)} shows the output), masks what the workspace's transcript masks:
 * credential shapes and the workspace's secret values (see {@link ExecResult#redact(String)}).
 */
public final class ExecResultAssert extends AbstractObjectAssert<ExecResultAssert, ExecResult> {

    /** Lines of stderr shown in a failure message. */
    public static final int STDERR_TAIL_LINES = 20;

    ExecResultAssert(ExecResult actual) {
        super(actual, ExecResultAssert.class);
        withRepresentation(masking());
    }

    /** The command exited with 0 and did not time out. */
    public ExecResultAssert succeeded() {
        isNotNull();
        if (!actual.succeeded()) {
            failWithMessage("%nExpecting the command to succeed, but it %s.%s", outcome(), details());
        }
        return this;
    }

    /** The command exited with a non-zero code or timed out. */
    public ExecResultAssert failed() {
        isNotNull();
        if (actual.succeeded()) {
            failWithMessage("%nExpecting the command to fail, but it exited with 0.%s", details());
        }
        return this;
    }

    /** The command exited with the given code. */
    public ExecResultAssert hasExitCode(int expected) {
        isNotNull();
        if (actual.exitCode() != expected) {
            failWithMessage("%nExpecting exit code %s, but it %s.%s", expected, outcome(), details());
        }
        return this;
    }

    /** The command was killed because it exceeded its timeout. */
    public ExecResultAssert timedOut() {
        isNotNull();
        if (!actual.timedOut()) {
            failWithMessage("%nExpecting the command to time out, but it %s.%s", outcome(), details());
        }
        return this;
    }

    /** The command's stdout, for string assertions; their failure messages carry the command's details. */
    public AbstractStringAssert<?> stdout() {
        isNotNull();
        return Assertions.assertThat(actual.stdout()).withRepresentation(masking())
                .as("stdout of the command%s", details());
    }

    /** The command's stderr, for string assertions; their failure messages carry the command's details. */
    public AbstractStringAssert<?> stderr() {
        isNotNull();
        return Assertions.assertThat(actual.stderr()).withRepresentation(masking())
                .as("stderr of the command%s", details());
    }

    private String outcome() {
        if (actual.timedOut()) {
            return "timed out after " + actual.duration().toMillis() + " ms";
        }
        return actual.exitCode() == ExecResult.KILLED ? "was killed (exit code -1)"
                : "exited with " + actual.exitCode();
    }

    /** Values shown in AssertJ's messages (actual, expected, diffs) masked as the transcript masks them. */
    private Representation masking() {
        ExecResult result = actual;
        return new StandardRepresentation() {
            @Override
            public String toStringOf(Object object) {
                return result == null ? super.toStringOf(object) : result.redact(super.toStringOf(object));
            }

            @Override
            public String unambiguousToStringOf(Object object) {
                return result == null ? super.unambiguousToStringOf(object)
                        : result.redact(super.unambiguousToStringOf(object));
            }
        };
    }

    /** Credentials in the command or its stderr are masked, as in the transcript. */
    private String details() {
        String tail = actual.redact(actual.stderrTail(STDERR_TAIL_LINES));
        return String.format("%n  command:   %s%n  exit code: %d%s%n  stderr (last %d lines):%s",
                actual.redact(actual.commandLine()), actual.exitCode(), actual.timedOut() ? " (timed out)" : "",
                STDERR_TAIL_LINES, tail.isEmpty() ? " (empty)" : "\n    " + tail.replace("\n", "\n    "));
    }
}
