package dev.magpie.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.magpie.sandbox.CommandStartException;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.OutputListener;
import dev.magpie.sandbox.PathOutsideWorkspaceException;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.JvmIdentity;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Commands in one container shared by every test of the class. */
@EnabledWithDockerEngine
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerExecTest {

    private static final String SECRET = "s3cr3t-" + "docker-0123";

    private DockerWorkspace workspace;

    @BeforeAll
    void startContainer() {
        workspace = DockerWorkspace.builder(DockerEngineCondition.TEST_IMAGE).env("FROM_WORKSPACE", "ws")
                .env("DEPLOY_TOKEN", SECRET).build();
    }

    @AfterAll
    void removeContainer() {
        if (workspace != null) {
            workspace.destroy();
        }
    }

    @Test
    void runsInTheWorkingDirectoryWithSeparateStreamsAndExitCodeAsData() {
        ExecResult result = workspace.shell("pwd; echo oops >&2; exit 3");

        assertThat(workspace.name()).isEqualTo("docker");
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("/workspace\n");
        assertThat(result.stderr()).isEqualTo("oops\n");
        assertThat(result.timedOut()).isFalse();
        assertThat(result.command()).containsExactly("sh", "-c", "pwd; echo oops >&2; exit 3");
    }

    @Test
    void theWorkspaceMasksTheValuesOfItsSecretVariables() {
        ExecResult echoed = workspace.shell("echo \"using $DEPLOY_TOKEN\"");

        assertThat(echoed.stdout()).isEqualTo("using " + SECRET + "\n");
        assertThat(echoed.redact(echoed.stdout())).isEqualTo("using ***\n");
        assertThat(echoed.toString()).doesNotContain(SECRET);
        assertThat(workspace.transcript().render()).contains("using ***").doesNotContain(SECRET);
    }

    @Test
    void runsProgramsWithoutAShell() {
        ExecResult result = workspace.exec("printf", "%s|", "two words", "$HOME", "*");

        assertThat(result.stdout()).isEqualTo("two words|$HOME|*|");
    }

    @Test
    void runsTheProgramNotAShellBuiltinOfTheSameName() {
        // GNU echo understands -e; the echo built into sh would print it.
        assertThat(workspace.exec("echo", "-e", "a\\tb").stdout()).isEqualTo("a\tb\n");
    }

    @Test
    void reportsAProcessKilledByASignalAsMinusOne() {
        assertThat(workspace.shell("kill -9 $$").exitCode()).isEqualTo(ExecResult.KILLED);
    }

    @Test
    void passesTheWorkspaceAndRequestEnvironment() {
        ExecResult result = workspace.exec(ExecRequest.builder("sh", "-c", "echo $FROM_WORKSPACE $FROM_REQUEST")
                .env("FROM_REQUEST", "req").build());

        assertThat(result.stdout()).isEqualTo("ws req\n");
    }

    @Test
    void runsInASubdirectoryAndRefusesOneOutside() {
        workspace.writeString("sub/dir/marker", "");

        ExecResult result = workspace.exec(ExecRequest.builder("pwd").subdirectory("sub/dir").build());

        assertThat(result.stdout()).isEqualTo("/workspace/sub/dir\n");
        assertThatThrownBy(() -> workspace.exec(ExecRequest.builder("pwd").subdirectory("../etc").build()))
                .isInstanceOf(PathOutsideWorkspaceException.class);
        workspace.exec("ln", "-sfn", "/etc", "etc-link");
        assertThatThrownBy(() -> workspace.exec(ExecRequest.builder("pwd").subdirectory("etc-link").build()))
                .isInstanceOf(PathOutsideWorkspaceException.class).hasMessageContaining("/etc");
        assertThatThrownBy(() -> workspace.exec(ExecRequest.builder("pwd").subdirectory("missing").build()))
                .isInstanceOf(WorkspaceException.class).hasMessageContaining("no such directory");
    }

    @Test
    void feedsStdinAndClosesItWhenThereIsNone() {
        byte[] binary = {0, 1, 2, (byte) 0xff, '\n', 'x'};
        ExecResult piped = workspace.exec(ExecRequest.builder("sh", "-c", "od -An -tx1 | tr -s ' '")
                .stdin(binary).build());
        ExecResult none = workspace.exec(ExecRequest.builder("cat").timeout(Duration.ofSeconds(10)).build());

        assertThat(piped.stdout().trim()).isEqualTo("00 01 02 ff 0a 78");
        assertThat(none.timedOut()).isFalse();
        assertThat(none.stdout()).isEmpty();
    }

    @Test
    void streamsStdinFromAFileOrAStreamOfUnknownLength(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("input.bin");
        Files.write(file, new byte[3 * 1024 * 1024 + 7]);
        ExecResult fromFile = workspace.exec(ExecRequest.builder("wc", "-c").stdin(file).build());
        ExecResult fromStream = workspace.exec(ExecRequest.builder("cat")
                .stdin(() -> new ByteArrayInputStream("streamed\n".getBytes(StandardCharsets.UTF_8))).build());

        assertThat(fromFile.stdout().trim()).isEqualTo("3145735");
        assertThat(fromStream.stdout()).isEqualTo("streamed\n");
    }

    @Test
    void aMissingProgramIsAnExceptionNamingIt() {
        assertThatThrownBy(() -> workspace.exec("no-such-program", "arg"))
                .isInstanceOf(CommandStartException.class)
                .hasMessageContaining("no-such-program");
        assertThatThrownBy(() -> workspace.exec("./not-here.sh"))
                .isInstanceOf(CommandStartException.class);
    }

    @Test
    void sendsLinesToTheListenerAsTheyArrive() {
        List<String> lines = new CopyOnWriteArrayList<>();
        OutputListener listener = (channel, line) -> lines.add(channel + ":" + line);

        workspace.exec(ExecRequest.builder("sh", "-c", "echo one; echo two >&2; printf three")
                .listener(listener).build());

        assertThat(lines).containsExactlyInAnyOrder("STDOUT:one", "STDERR:two", "STDOUT:three");
    }

    @Test
    void boundsOutputKeepingTheHeadAndTheTail() {
        ExecResult result = workspace.exec(ExecRequest.builder("seq", "1", "200000").outputLimit(1000).build());

        assertThat(result.truncated()).isTrue();
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).startsWith("1\n2\n3\n").endsWith("199999\n200000\n")
                .contains("bytes truncated").hasSizeLessThan(1100);
    }

    @Test
    void aTimeoutKillsTheWholeProcessTreeInsideTheContainerAndKeepsTheOutput() {
        String dir = "/tmp/tree-" + UUID.randomUUID();
        // A child and a grandchild ignoring SIGTERM, and one that left the session with setsid; all hold stdout.
        String script = "mkdir -p " + dir + "; echo started\n"
                + "sh -c 'trap \"\" TERM; sleep 1000 & echo $! > " + dir + "/grandchild; wait' &\n"
                + "echo $! > " + dir + "/child\n"
                + "setsid sh -c 'trap \"\" TERM; echo $$ > " + dir + "/escaped; exec sleep 1000' &\n"
                + "env -i sh -c 'echo $$ > " + dir + "/no-env; exec sleep 1000' &\n"
                + "sleep 1000\n";

        long start = System.nanoTime();
        ExecResult result = workspace.exec(ExecRequest.builder("sh", "-c", script)
                .timeout(Duration.ofSeconds(2)).build());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result.timedOut()).isTrue();
        assertThat(result.exitCode()).isEqualTo(ExecResult.KILLED);
        assertThat(result.stdout()).isEqualTo("started\n");
        assertThat(took).isLessThan(Duration.ofSeconds(15));
        ExecResult survivors = workspace.shell("for f in " + dir + "/*; do p=$(cat $f);"
                + " s=$(cut -d' ' -f3 /proc/$p/stat 2>/dev/null); [ -z \"$s\" ] || [ \"$s\" = Z ] || echo $f $p $s; done;"
                + " ls " + dir + " | wc -l");
        assertThat(survivors.stdout()).isEqualTo("4\n");
    }

    @Test
    void runsCommandsFromSeveralThreadsAtOnce() {
        List<String> outputs = java.util.stream.IntStream.range(0, 8).parallel()
                .mapToObj(i -> workspace.shell("echo " + i + " && echo err" + i + " >&2").output())
                .sorted().toList();

        assertThat(outputs).containsExactly("0\nerr0\n", "1\nerr1\n", "2\nerr2\n", "3\nerr3\n",
                "4\nerr4\n", "5\nerr5\n", "6\nerr6\n", "7\nerr7\n");
    }

    @Test
    void aTimeoutKillsACommandThatClearedItsEnvironment() {
        String pidFile = "/tmp/env-cleared-" + UUID.randomUUID();

        ExecResult result = workspace.exec(ExecRequest.builder("env", "-i", "sh", "-c",
                "echo $$ > " + pidFile + "; sleep 1000 & sleep 1000").timeout(Duration.ofSeconds(1)).build());

        assertThat(result.timedOut()).isTrue();
        assertThat(workspace.shell("p=$(cat " + pidFile + "); cut -d' ' -f3 /proc/$p/stat 2>/dev/null"
                + " | grep -v Z; ps -e -o stat=,args= | grep -v '^Z' | grep -c '[s]leep 1000'").stdout())
                .isEqualTo("0\n");
    }

    @Test
    void anInterruptedCallerLeavesNoProcessRunning() throws Exception {
        String pidFile = "/tmp/interrupted-" + UUID.randomUUID();
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                workspace.shell("echo $$ > " + pidFile + "; exec sleep 1000");
            } catch (RuntimeException e) {
                thrown.set(e);
            }
        });
        caller.start();
        while (workspace.shell("test -s " + pidFile).exitCode() != 0) {
            Thread.sleep(50);
        }

        caller.interrupt();
        caller.join(15_000);

        assertThat(thrown.get()).isInstanceOf(WorkspaceException.class).hasMessageContaining("Interrupted");
        assertThat(workspace.shell("p=$(cat " + pidFile + "); cut -d' ' -f3 /proc/$p/stat 2>/dev/null | grep -v Z")
                .stdout()).isEmpty();
    }

    @Test
    void recordsCommandsInTheTranscript() {
        workspace.exec("echo", "transcribed");

        assertThat(workspace.transcript().render()).contains("$ echo transcribed");
    }

    @Test
    void labelsTheContainerWithTheUsersLabelsAndItsOwner() {
        try (DockerWorkspace labelled = DockerWorkspace.builder(DockerEngineCondition.TEST_IMAGE)
                .label("team", "widgets").build()) {
            assertThat(labelled.labels())
                    .containsEntry("team", "widgets")
                    .containsEntry(ContainerLabels.OWNER, ContainerLabels.OWNER_VALUE)
                    .containsEntry(ContainerLabels.JVM, JvmIdentity.current().label())
                    .containsKey(ContainerLabels.HOST);
        }
    }
}
