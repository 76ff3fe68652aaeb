package dev.magpie.junit;

import static dev.magpie.junit.SandboxAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.Workspace;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The result assertions pass and fail as they say, and every failure shows command, exit code, stderr tail. */
class ExecResultAssertTest {

    private static final String SECRET = "s3cr3t-" + "0123456789";

    @Sandbox
    static Workspace sandbox;

    @Sandbox(env = "DEPLOY_TOKEN=" + SECRET)
    static Workspace secretive;

    private final ExecResult ok = sandbox.shell("echo hello");
    private final ExecResult broken = sandbox.exec("sh", "-c", "echo partial; for i in $(seq 1 30); do echo line $i >&2; done; exit 3");

    @Test
    void passingAssertionsChain() {
        assertThat(ok).succeeded().hasExitCode(0).stdout().isEqualTo("hello\n");
        assertThat(broken).failed().hasExitCode(3).stderr().contains("line 30");
    }

    @Test
    void succeededShowsCommandExitCodeAndStderrTail() {
        assertThatThrownBy(() -> assertThat(broken).succeeded())
                .hasMessageContaining("Expecting the command to succeed, but it exited with 3.")
                .hasMessageContaining("command:   sh -c 'echo partial; for i in $(seq 1 30); do echo line $i >&2; done; exit 3'")
                .hasMessageContaining("exit code: 3")
                .hasMessageContaining("stderr (last 20 lines):")
                .hasMessageContaining("line 11\n    line 12").hasMessageContaining("line 30")
                .hasMessageNotContaining("line 10\n");
    }

    @Test
    void failedShowsTheCommandThatSucceeded() {
        assertThatThrownBy(() -> assertThat(ok).failed())
                .hasMessageContaining("Expecting the command to fail, but it exited with 0.")
                .hasMessageContaining("command:   sh -c 'echo hello'").hasMessageContaining("stderr (last 20 lines): (empty)");
    }

    @Test
    void hasExitCodeShowsExpectedAndActual() {
        assertThatThrownBy(() -> assertThat(broken).hasExitCode(2))
                .hasMessageContaining("Expecting exit code 2, but it exited with 3.").hasMessageContaining("line 30");
    }

    @Test
    void timedOutDistinguishesATimeoutFromAnExit() {
        ExecResult timedOut = new ExecResult(List.of("sleep", "60"), ExecResult.KILLED, "", "still waiting\n",
                Duration.ofMillis(1500), true, false);

        assertThat(timedOut).timedOut().failed().hasExitCode(ExecResult.KILLED);
        assertThatThrownBy(() -> assertThat(timedOut).succeeded())
                .hasMessageContaining("but it timed out after 1500 ms").hasMessageContaining("exit code: -1 (timed out)")
                .hasMessageContaining("still waiting");
        assertThatThrownBy(() -> assertThat(broken).timedOut())
                .hasMessageContaining("Expecting the command to time out, but it exited with 3.");
    }

    @Test
    void streamAssertionsCarryTheCommandDetails() {
        assertThatThrownBy(() -> assertThat(broken).stdout().contains("complete"))
                .hasMessageContaining("stdout of the command").hasMessageContaining("exit code: 3")
                .hasMessageContaining("line 30").hasMessageContaining("\"partial\n\"");
        assertThatThrownBy(() -> assertThat(ok).stderr().isNotEmpty())
                .hasMessageContaining("stderr of the command").hasMessageContaining("command:   sh -c 'echo hello'");
    }

    @Test
    void credentialsInTheCommandAndStderrAreMasked() {
        ExecResult leaky = sandbox.exec("sh", "-c", "echo \"cannot reach $0\" >&2; exit 128",
                "https://bob:hunter22@magpie.invalid/repo.git");

        assertThatThrownBy(() -> assertThat(leaky).succeeded())
                .hasMessageContaining("command:   sh -c").hasMessageContaining("https://***@magpie.invalid/repo.git")
                .hasMessageContaining("cannot reach https://***@magpie.invalid").hasMessageNotContaining("hunter22");
    }

    @Test
    void aSecretOfTheSandboxIsMaskedInEveryMessage() {
        ExecResult echoing = secretive.shell("echo \"deploying with $DEPLOY_TOKEN\"; echo \"denied: $DEPLOY_TOKEN\" >&2; exit 1");
        Assertions.assertThat(echoing.stdout()).isEqualTo("deploying with " + SECRET + "\n"); // the data stay as they are

        assertThatThrownBy(() -> assertThat(echoing).succeeded()).hasMessageContaining("denied: ***")
                .hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> assertThat(echoing).stdout().contains("deployed"))
                .hasMessageContaining("deploying with ***").hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> assertThat(echoing).isNull()).hasMessageNotContaining(SECRET);
        AssertionFailedError notEqual = catchThrowableOfType(AssertionFailedError.class,
                () -> assertThat(echoing).stderr().isEqualTo("denied"));
        Assertions.assertThat(notEqual).hasMessageContaining("denied: ***").hasMessageNotContaining(SECRET);
        Assertions.assertThat(notEqual.getActual().getStringRepresentation()).doesNotContain(SECRET);
    }

    @Test
    void aNullResultFailsClearly() {
        assertThatThrownBy(() -> assertThat((ExecResult) null).succeeded()).hasMessageContaining("Expecting actual not to be null");
    }
}
