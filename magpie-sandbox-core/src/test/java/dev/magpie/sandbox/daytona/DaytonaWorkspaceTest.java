package dev.magpie.sandbox.daytona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.PathOutsideWorkspaceException;
import dev.magpie.sandbox.WorkspaceDestroyedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Daytona workspace against the local server, beyond the contract every provider passes
 * (magpie-sandbox-conformance): requests never sent for refused paths, setup, labels, destroy, the API key.
 */
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
    void fileNamesThatAreShellSyntaxAreOnlyNames() throws Exception {
        List<String> names = List.of("it's.txt", "$(touch pwned).txt", "`touch pwned`", "-rf", "two\nlines",
                "semi;colon & amp", "naïve ✓.txt");
        for (String name : names) {
            shared.writeString("hostile/" + name, name);
        }

        assertThat(shared.list("hostile")).containsExactlyInAnyOrderElementsOf(names);
        for (String name : names) {
            assertThat(shared.exists("hostile/" + name)).as(name).isTrue();
            assertThat(shared.readString("hostile/" + name)).isEqualTo(name);
            shared.delete("hostile/" + name);
            assertThat(shared.exists("hostile/" + name)).as(name).isFalse();
        }
        assertThat(shared.list("hostile")).isEmpty();
        shared.delete("hostile");
        try (var tree = Files.walk(DAYTONA.server().directory(shared.id()).orElseThrow())) {
            assertThat(tree.map(p -> p.getFileName().toString())).as("files a name ran as a command made")
                    .doesNotContain("pwned");
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
}
