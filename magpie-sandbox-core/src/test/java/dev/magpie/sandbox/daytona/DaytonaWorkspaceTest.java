package dev.magpie.sandbox.daytona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.magpie.sandbox.CommandStartException;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.PathOutsideWorkspaceException;
import dev.magpie.sandbox.WorkspaceDestroyedException;
import dev.magpie.sandbox.WorkspaceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A Daytona workspace against the local server: commands, files, paths, setup, destroy. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DaytonaWorkspaceTest {

    @RegisterExtension
    static final LocalDaytona DAYTONA = new LocalDaytona(Duration.ofMillis(150));

    private DaytonaWorkspace shared;

    @BeforeAll
    void createShared() {
        shared = DAYTONA.gitWorkspace();
    }

    @AfterAll
    void destroyShared() {
        shared.destroy();
    }

    @Test
    void runsCommandsWithSeparateStreamsAndExitCodes() {
        ExecResult result = shared.shell("echo out; echo err >&2; exit 3");

        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.timedOut()).isFalse();
        assertThat(shared.transcript().entries()).anyMatch(e -> e.commandLine().contains("exit 3"));
    }

    @Test
    void runsInTheWorkingDirectoryWithEnvSubdirectoryAndStdin() throws Exception {
        shared.writeString("sub/keep.txt", "x");
        ExecResult pwd = shared.exec(ExecRequest.builder("pwd").subdirectory("sub").build());
        ExecResult env = shared.exec(ExecRequest.builder("sh", "-c", "printf %s \"$GREETING\"")
                .env("GREETING", "it's \"quoted\" $HOME").build());
        ExecResult stdin = shared.exec(ExecRequest.builder("cat").stdin("line one\nline two\n").build());

        assertThat(pwd.stdout().trim()).isEqualTo(shared.workingDir() + "/sub");
        assertThat(env.stdout()).isEqualTo("it's \"quoted\" $HOME");
        assertThat(stdin.stdout()).isEqualTo("line one\nline two\n");
    }

    @Test
    void theWorkspaceMasksTheValuesOfItsSecretVariables() {
        String secret = "s3cr3t-" + "daytona-0123";
        DaytonaWorkspace workspace = DaytonaWorkspace.create(DAYTONA.client(), DaytonaCreateRequest.builder()
                .env(java.util.Map.of("DEPLOY_TOKEN", secret)).build(), null);
        try {
            ExecResult echoed = workspace.shell("echo \"using $DEPLOY_TOKEN\"");

            assertThat(echoed.stdout()).isEqualTo("using " + secret + "\n");
            assertThat(echoed.redact(echoed.stdout())).isEqualTo("using ***\n");
            assertThat(workspace.transcript().render()).contains("using ***").doesNotContain(secret);
        } finally {
            workspace.destroy();
        }
    }

    @Test
    void streamsStdinFromAStreamAndLeavesNoFileBehind() {
        byte[] big = new byte[2 * 1024 * 1024];
        ExecResult counted = shared.exec(ExecRequest.builder("wc", "-c")
                .stdin(() -> new java.io.ByteArrayInputStream(big)).build());

        assertThat(counted.stdout().trim()).isEqualTo(String.valueOf(big.length));
        assertThat(shared.shell("ls -A | grep -c magpie-stdin || true").stdout().trim()).isEqualTo("0");
    }

    @Test
    void aTimedOutCommandIsAResultAndIsKilled() throws Exception {
        ExecResult result = shared.exec(ExecRequest.builder("sh", "-c", "echo started; sleep 3; echo late > late.txt")
                .timeout(Duration.ofMillis(400)).build());

        assertThat(result.timedOut()).isTrue();
        assertThat(result.exitCode()).isEqualTo(ExecResult.KILLED);
        assertThat(result.stdout()).isEqualTo("started\n");
        assertThat(result.duration()).isLessThan(Duration.ofSeconds(3));
        Thread.sleep(3_000);
        assertThat(shared.exists("late.txt")).isFalse();
        assertThat(DAYTONA.server().directory(shared.id()).orElseThrow().resolve("widgets/late.txt")).doesNotExist();
    }

    @Test
    void deliversLinesToTheListenerAndLimitsOutput() {
        List<String> lines = new ArrayList<>();
        ExecResult result = shared.exec(ExecRequest.builder("sh", "-c", "seq 1 3; seq 1 5000 >&2")
                .outputLimit(100).listener((channel, line) -> lines.add(channel + ":" + line)).build());

        assertThat(lines).startsWith("STDOUT:1", "STDOUT:2", "STDOUT:3", "STDERR:1");
        assertThat(result.stdout()).isEqualTo("1\n2\n3\n");
        assertThat(result.truncated()).isTrue();
        assertThat(result.stderr()).startsWith("1\n2\n").contains("truncated").endsWith("4999\n5000\n");
    }

    @Test
    void theListenerHearsLinesWhileTheCommandRuns() {
        List<Long> heardAt = new java.util.concurrent.CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        ExecResult result = shared.exec(ExecRequest.builder("sh", "-c", "echo first; sleep 1; echo second")
                .listener((channel, line) -> heardAt.add((System.nanoTime() - start) / 1_000_000)).build());

        assertThat(result.stdout()).isEqualTo("first\nsecond\n");
        assertThat(heardAt).hasSize(2);
        assertThat(heardAt.get(0)).isLessThan(900);
        assertThat(heardAt.get(1)).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void aMissingProgramCannotStart() {
        assertThatThrownBy(() -> shared.exec("no-such-program-xyz"))
                .isInstanceOf(CommandStartException.class)
                .hasMessageContaining("no-such-program-xyz");
    }

    @Test
    void writesReadsListsAndDeletesFiles() {
        shared.writeString("notes/deep/todo.txt", "ship it");
        shared.writeFile("notes/blob.bin", new byte[] {0, 1, 2, (byte) 255});

        assertThat(shared.readString("notes/deep/todo.txt")).isEqualTo("ship it");
        assertThat(shared.readFile("notes/blob.bin")).containsExactly(0, 1, 2, 255);
        assertThat(shared.list("notes")).containsExactly("blob.bin", "deep");
        assertThat(shared.exists("notes/deep")).isTrue();
        assertThat(shared.exists("notes/none")).isFalse();

        shared.delete("notes");
        shared.delete("notes");
        assertThat(shared.exists("notes")).isFalse();
        assertThatThrownBy(() -> shared.readFile("notes/deep/todo.txt"))
                .isInstanceOf(WorkspaceException.class).hasMessageContaining("No file at 'notes/deep/todo.txt'");
        assertThatThrownBy(() -> shared.list("notes")).hasMessageContaining("No directory at 'notes'");
    }

    @Test
    void refusesPathsOutsideTheWorkingDirectoryWithoutTouchingThem() {
        Path outside = DAYTONA.server().directory(shared.id()).orElseThrow().resolve("outside.txt");
        int before = DAYTONA.exchanges().size();

        assertThatThrownBy(() -> shared.writeString("../outside.txt", "x"))
                .isInstanceOf(PathOutsideWorkspaceException.class);
        assertThatThrownBy(() -> shared.readFile("/etc/passwd")).isInstanceOf(PathOutsideWorkspaceException.class);
        assertThatThrownBy(() -> shared.exec(ExecRequest.builder("ls").subdirectory("../..").build()))
                .isInstanceOf(PathOutsideWorkspaceException.class);

        assertThat(Files.exists(outside)).isFalse();
        assertThat(DAYTONA.exchanges()).hasSize(before);
    }

    @Test
    void refusesSymlinksLeadingOutOfTheWorkingDirectoryWithoutTouchingTheirTargets() throws Exception {
        try (DaytonaWorkspace ws = DAYTONA.gitWorkspace()) {
            // The sandbox's home holds the working directory 'widgets'; its sibling 'secret' is outside it.
            Path secret = Files.createDirectories(DAYTONA.server().directory(ws.id()).orElseThrow().resolve("secret"));
            Files.writeString(secret.resolve("key.txt"), "do not touch");
            assertThat(ws.shell("ln -s ../secret escape && ln -s ../secret/key.txt key-link && ln -s .. up"
                    + " && mkdir -p real && echo inside > real/f.txt && ln -s real inner").exitCode()).isZero();

            assertThatThrownBy(() -> ws.readString("escape/key.txt")).isInstanceOf(PathOutsideWorkspaceException.class)
                    .hasMessageContaining("escape/key.txt").hasMessageContaining("symlink");
            assertThatThrownBy(() -> ws.readString("key-link")).isInstanceOf(PathOutsideWorkspaceException.class);
            assertThatThrownBy(() -> ws.writeString("key-link", "changed"))
                    .isInstanceOf(PathOutsideWorkspaceException.class);
            assertThatThrownBy(() -> ws.writeString("escape/new.txt", "x"))
                    .isInstanceOf(PathOutsideWorkspaceException.class);
            assertThatThrownBy(() -> ws.writeString("up/secret/new.txt", "x"))
                    .isInstanceOf(PathOutsideWorkspaceException.class);
            assertThatThrownBy(() -> ws.delete("escape/key.txt")).isInstanceOf(PathOutsideWorkspaceException.class);
            assertThatThrownBy(() -> ws.list("escape")).isInstanceOf(PathOutsideWorkspaceException.class);
            assertThatThrownBy(() -> ws.exists("escape/key.txt")).isInstanceOf(PathOutsideWorkspaceException.class);
            assertThatThrownBy(() -> ws.exec(ExecRequest.builder("ls").subdirectory("escape").build()))
                    .isInstanceOf(PathOutsideWorkspaceException.class);

            assertThat(ws.readString("inner/f.txt")).isEqualTo("inside\n");
            assertThat(ws.list("inner")).containsExactly("f.txt");
            ws.delete("escape");
            ws.delete("key-link");
            assertThat(ws.exists("escape")).isFalse();
            assertThat(ws.exists("key-link")).isFalse();
            try (var entries = Files.list(secret)) {
                assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("key.txt");
            }
            assertThat(secret.resolve("key.txt")).hasContent("do not touch");
        }
    }

    @Test
    void setupConfiguredGitInTheClone() {
        assertThat(shared.exec("git", "config", "user.name").stdout().trim()).isEqualTo("Magpie");
        assertThat(shared.exec("git", "config", "user.email").stdout().trim()).isEqualTo("magpie@bot");
        assertThat(shared.exec("git", "status", "--short").stdout()).isEmpty();
        assertThat(shared.readString("README.md")).isEqualTo("widgets\n");
    }

    @Test
    void aFailingSetupIsToleratedAndRecorded() {
        try (DaytonaWorkspace plain = DAYTONA.workspace()) {
            assertThat(plain.transcript().render()).contains("workspace setup exited").contains("tolerated");
            assertThat(plain.shell("echo fine").stdout()).isEqualTo("fine\n");
        }
    }

    @Test
    void labelsTheSandboxAndSetsBackstopIntervals() {
        assertThat(DAYTONA.server().labels(shared.id()).orElseThrow())
                .containsEntry(DaytonaClient.LABEL_MANAGED, "true")
                .containsEntry(DaytonaClient.LABEL_OWNER, LocalDaytona.OWNER)
                .containsKey(DaytonaClient.LABEL_CREATE_TOKEN);
        String create = DAYTONA.allExchanges().stream().filter(e -> e.method().equals("POST")
                && e.path().equals("/api/sandbox")).findFirst().orElseThrow().requestText();
        assertThat(create).contains("\"autoStopInterval\":30").contains("\"autoDeleteInterval\":0");
    }

    @Test
    void destroyDeletesTheSandboxOnceAndRefusesLaterUse() {
        DaytonaWorkspace ws = DAYTONA.workspace();
        String id = ws.id();
        assertThat(DAYTONA.server().sandboxIds()).contains(id);

        ws.destroy();
        ws.destroy();

        assertThat(DAYTONA.server().sandboxIds()).doesNotContain(id);
        assertThat(DAYTONA.exchanges("DELETE", "/api/sandbox/" + id)).hasSize(1);
        assertThatThrownBy(() -> ws.shell("true")).isInstanceOf(WorkspaceDestroyedException.class);
    }

    @Test
    void theApiKeyStaysOutOfTheTranscript() {
        String key = DAYTONA.server().apiKey();
        shared.exec(ExecRequest.builder("echo", key).build());
        assertThat(shared.transcript().render()).doesNotContain(key);
        assertThat(DAYTONA.config().toString()).doesNotContain(key);
    }
}
