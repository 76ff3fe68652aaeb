package dev.magpie.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.magpie.sandbox.CommandStartException;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.JvmIdentity;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands in one container shared by every test of the class: what Docker does beyond the contract every provider
 * passes (magpie-sandbox-conformance).
 */
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
    void runsInTheDefaultWorkingDirectory() {
        assertThat(workspace.provider()).isEqualTo(ProviderId.DOCKER);
        assertThat(workspace.workingDir()).isEqualTo(DockerWorkspace.DEFAULT_WORKING_DIR);
        assertThat(workspace.exec("pwd").stdout()).isEqualTo("/workspace\n");
    }

    @Test
    void runsTheProgramNotAShellBuiltinOfTheSameName() {
        // GNU echo understands -e; the echo built into sh would print it.
        assertThat(workspace.exec("echo", "-e", "a\\tb").stdout()).isEqualTo("a\tb\n");
    }

    @Test
    void aMissingProgramGivenByPathCannotStart() {
        assertThatThrownBy(() -> workspace.exec("./not-here.sh"))
                .isInstanceOf(CommandStartException.class).hasMessageContaining("./not-here.sh");
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

        ExecResult result = workspace.exec(ExecRequest.builder("sh", "-c", script)
                .timeout(Duration.ofSeconds(2)).build());

        assertThat(result.timedOut()).isTrue();
        assertThat(result.exitCode()).isEqualTo(ExecResult.KILLED);
        assertThat(result.stdout()).isEqualTo("started\n");
        ExecResult survivors = workspace.shell("for f in " + dir + "/*; do p=$(cat $f);"
                + " s=$(cut -d' ' -f3 /proc/$p/stat 2>/dev/null); [ -z \"$s\" ] || [ \"$s\" = Z ] || echo $f $p $s; done;"
                + " ls " + dir + " | wc -l");
        assertThat(survivors.stdout()).isEqualTo("4\n");
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
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                workspace.shell("echo $$ > " + pidFile + "; exec sleep 1000");
            } catch (RuntimeException e) {
                thrown.set(e);
            }
        });
        caller.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (workspace.shell("test -s " + pidFile).exitCode() != 0) {
            if (System.nanoTime() > deadline) {
                fail("The command did not write " + pidFile + " within 20 s; the caller failed with " + thrown.get());
            }
            Thread.sleep(50);
        }

        caller.interrupt();
        caller.join(15_000);
        assertThat(caller.isAlive()).as("the caller still waits 15 s after its interrupt").isFalse();

        assertThat(thrown.get()).isInstanceOf(WorkspaceException.class).hasMessageContaining("Interrupted");
        assertThat(workspace.shell("p=$(cat " + pidFile + "); cut -d' ' -f3 /proc/$p/stat 2>/dev/null | grep -v Z")
                .stdout()).isEmpty();
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

    @Test
    void theWorkspaceMasksTheValuesOfItsSecretVariables() {
        ExecResult echoed = workspace.shell("echo \"using $DEPLOY_TOKEN\"");

        assertThat(echoed.stdout()).isEqualTo("using " + SECRET + "\n");
        assertThat(echoed.redact(echoed.stdout())).isEqualTo("using ***\n");
        assertThat(echoed.toString()).doesNotContain(SECRET);
        assertThat(workspace.transcript().render()).contains("using ***").doesNotContain(SECRET);
    }

    @Test
    void passesTheWorkspaceAndRequestEnvironment() {
        ExecResult result = workspace.exec(ExecRequest.builder("sh", "-c", "echo $FROM_WORKSPACE $FROM_REQUEST")
                .env("FROM_REQUEST", "req").build());

        assertThat(result.stdout()).isEqualTo("ws req\n");
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
}
