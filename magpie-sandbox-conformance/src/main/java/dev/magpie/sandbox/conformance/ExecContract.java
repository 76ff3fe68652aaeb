package dev.magpie.sandbox.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.magpie.sandbox.CommandStartException;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.PathOutsideWorkspaceException;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Running commands: the two forms, exit codes, signals, environment, subdirectory and stdin. */
public interface ExecContract extends ConformanceFixture {

    @Test
    default void aProgramRunsWithItsArgumentsAsTheyAreWithoutAShell() {
        ExecResult result = workspace().exec("printf", "%s|", "two words", "$HOME", "*", "a;b", "'q'");

        assertThat(result.stdout()).isEqualTo("two words|$HOME|*|a;b|'q'|");
        assertThat(result.exitCode()).isZero();
        assertThat(result.succeeded()).isTrue();
        assertThat(result.command()).containsExactly("printf", "%s|", "two words", "$HOME", "*", "a;b", "'q'");
    }

    @Test
    default void aShellScriptRunsWithShDashC() {
        ExecResult result = workspace().shell("x=4; echo $((x * 2)) | tr 8 9; echo oops >&2");

        assertThat(result.stdout()).isEqualTo("9\n");
        assertThat(result.stderr()).isEqualTo("oops\n");
        assertThat(result.output()).isEqualTo("9\noops\n");
        assertThat(result.command()).containsExactly("sh", "-c", "x=4; echo $((x * 2)) | tr 8 9; echo oops >&2");
        assertThat(result.duration()).isPositive();
    }

    @Test
    default void aNonZeroExitIsDataNotAnException() {
        for (int code : new int[] {1, 3, 42, 126, 127, 128}) {
            ExecResult result = workspace().shell("echo out; echo err >&2; exit " + code);

            assertThat(result.exitCode()).as("exit %d", code).isEqualTo(code);
            assertThat(result.succeeded()).isFalse();
            assertThat(result.timedOut()).isFalse();
            assertThat(result.stdout()).isEqualTo("out\n");
            assertThat(result.stderr()).isEqualTo("err\n");
        }
    }

    @Test
    default void aProcessKilledBySignalReportsMinusOne() {
        assumeFollows(Difference.SIGNAL_EXIT_CODE);

        ExecResult killed = workspace().shell("echo before; kill -9 $$; echo after");
        ExecResult terminated = workspace().shell("kill -TERM $$");

        assertThat(killed.exitCode()).isEqualTo(ExecResult.KILLED);
        assertThat(killed.stdout()).isEqualTo("before\n");
        assertThat(killed.timedOut()).isFalse();
        assertThat(terminated.exitCode()).isEqualTo(ExecResult.KILLED);
    }

    @Test
    default void aProgramThatCannotStartIsAnExceptionNamingIt() {
        assertThatThrownBy(() -> workspace().exec("no-such-program-magpie", "arg"))
                .isInstanceOf(CommandStartException.class)
                .hasMessageContaining("no-such-program-magpie")
                .satisfies(e -> assertThat(((CommandStartException) e).program()).isEqualTo("no-such-program-magpie"));
    }

    @Test
    default void commandsSeeTheWorkspaceEnvironmentAndTheRequestsOwn() {
        String tricky = "it's \"quoted\" $HOME `x` \\ ; & ü";

        ExecResult result = workspace().exec(ExecRequest.builder("sh", "-c",
                        "printf '%s|%s|%s' \"$" + WORKSPACE_VARIABLE + "\" \"$FROM_REQUEST\" \"$TRICKY\"")
                .env("FROM_REQUEST", "from the request").env("TRICKY", tricky).build());
        ExecResult overridden = workspace().exec(ExecRequest.builder("sh", "-c",
                        "printf %s \"$" + WORKSPACE_VARIABLE + "\"")
                .env(WORKSPACE_VARIABLE, "overridden").build());

        assertThat(result.stdout()).isEqualTo(WORKSPACE_VALUE + "|from the request|" + tricky);
        assertThat(overridden.stdout()).isEqualTo("overridden");
        assertThat(workspace().shell("printf %s \"$FROM_REQUEST\"").stdout()).as("a request's variable is its own")
                .isEmpty();
    }

    @Test
    default void commandsRunInTheWorkingDirectoryOrTheRequestedSubdirectory() {
        Workspace ws = workspace();
        ws.writeString("exec-subdirectory/inner/marker.txt", "here\n");

        ExecResult top = ws.exec("pwd");
        ExecResult inner = ws.exec(ExecRequest.builder("cat", "marker.txt").subdirectory("exec-subdirectory/inner")
                .build());
        ExecResult innerPwd = ws.exec(ExecRequest.builder("pwd").subdirectory("exec-subdirectory/inner").build());

        assertThat(top.stdout()).isEqualTo(ws.workingDir() + "\n");
        assertThat(inner.stdout()).isEqualTo("here\n");
        assertThat(innerPwd.stdout()).isEqualTo(ws.workingDir() + "/exec-subdirectory/inner\n");
    }

    @Test
    default void aMissingSubdirectoryIsAnErrorNamingIt() {
        assertThatThrownBy(() -> workspace().exec(ExecRequest.builder("pwd").subdirectory("no-such-subdirectory")
                .build())).isInstanceOf(WorkspaceException.class).hasMessageContaining("no-such-subdirectory");
    }

    @Test
    default void aSubdirectoryOutsideIsRefused() {
        assertThatThrownBy(() -> workspace().exec(ExecRequest.builder("pwd").subdirectory("../..").build()))
                .isInstanceOf(PathOutsideWorkspaceException.class);
    }

    @Test
    default void stdinIsFedThenClosedAndClosedAtOnceWhenThereIsNone() {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }

        ExecResult text = workspace().exec(ExecRequest.builder("cat").stdin("line one\nline two\n").build());
        ExecResult binary = workspace().exec(ExecRequest.builder("sh", "-c", "od -An -v -tx1 | tr -d ' \\n'")
                .stdin(bytes).build());
        // Bounded, so that a provider leaving stdin open fails this test instead of hanging the suite.
        ExecResult none = workspace().exec(ExecRequest.builder("cat").timeout(Duration.ofSeconds(30)).build());

        assertThat(text.stdout()).isEqualTo("line one\nline two\n");
        assertThat(binary.stdout()).isEqualTo(hex(bytes));
        assertThat(none.timedOut()).as("cat with no stdin timed out: stdin was left open").isFalse();
        assertThat(none.exitCode()).isZero();
        assertThat(none.stdout()).isEmpty();
    }

    @Test
    default void aLargeStdinIsFedWhole() {
        String big = "0123456789abcdef\n".repeat(64 * 1024);

        ExecResult large = workspace().exec(ExecRequest.builder("wc", "-c").stdin(big).build());
        ExecResult ignored = workspace().exec(ExecRequest.builder("true").stdin(big).build());

        assertThat(large.stdout().strip()).isEqualTo(String.valueOf(big.length()));
        assertThat(ignored.exitCode()).as("a command that reads none of its stdin").isZero();
    }

    private static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.append(String.format("%02x", b & 0xff));
        }
        return out.toString();
    }
}
