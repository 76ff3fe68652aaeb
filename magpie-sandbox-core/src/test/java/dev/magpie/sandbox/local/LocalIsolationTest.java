package dev.magpie.sandbox.local;

import static dev.magpie.sandbox.local.LocalIsolationEscapeTest.ISOLATED;
import static dev.magpie.sandbox.local.LocalIsolationEscapeTest.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.magpie.sandbox.CommandStartException;
import dev.magpie.sandbox.ConfigurationException;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.Isolation;
import dev.magpie.sandbox.PathOutsideWorkspaceException;
import dev.magpie.sandbox.ProviderUnavailableException;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.Workspaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an isolated local workspace looks like to its commands and to its users, and how it is chosen. */
class LocalIsolationTest {

    @TempDir
    Path dir;

    @Test
    void commandsSeeTheWorkspaceAtAFixedPathAndFilesAreReachedThroughIt() throws Exception {
        try (LocalWorkspace ws = LocalWorkspace.fromPath(dir, Map.of(), ISOLATED)) {
            ws.writeString("/workspace/sub/a.txt", "from the file API");
            ExecResult pwd = ws.exec(ExecRequest.builder("sh", "-c", "pwd; cat a.txt; echo made > b.txt")
                    .subdirectory("sub").build());

            assertThat(ws.isolation()).isEqualTo(Isolation.NAMESPACES);
            assertThat(ws.workingDir()).isEqualTo("/workspace");
            assertThat(pwd.stdout()).isEqualTo("/workspace/sub\nfrom the file API");
            assertThat(Files.readString(dir.resolve("sub/b.txt"))).isEqualTo("made\n");
            assertThat(ws.readString("sub/b.txt")).isEqualTo("made\n");
            assertThat(ws.list("/workspace/sub")).containsExactly("a.txt", "b.txt");
        }
    }

    @Test
    void aCloneIsIsolatedToo() throws Exception {
        Path origin = Files.createDirectory(dir.resolve("origin"));
        Files.writeString(origin.resolve("README.md"), "widgets\n");
        GitRepos.git(origin, "init", "-q", "-b", "main");
        GitRepos.git(origin, "add", ".");
        GitRepos.git(origin, "commit", "-qm", "First commit");
        try (LocalWorkspace ws = LocalWorkspace.fromClone(CloneSpec.of(origin.toString()), Map.of(), ISOLATED)) {
            ExecResult log = ws.exec("git", "log", "--format=%s");

            assertThat(log.stdout()).as(log.stderr()).isEqualTo("First commit\n");
            assertThat(ws.exec("ls", origin.toString()).succeeded()).as("the origin, outside").isFalse();
            assertThat(ws.readString("README.md")).isEqualTo("widgets\n");
        }
    }

    @Test
    void pathsLeavingTheWorkspaceAreRefusedOnThisSide() throws Exception {
        Path outside = Files.createDirectory(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Path inside = Files.createDirectory(dir.resolve("inside"));
        Files.createSymbolicLink(inside.resolve("out"), outside);
        try (LocalWorkspace ws = LocalWorkspace.fromPath(inside, Map.of(), ISOLATED)) {
            for (String path : new String[] {"../outside/secret.txt", outside + "/secret.txt", "/etc/passwd",
                    inside + "/out/secret.txt", "out/secret.txt", "/workspace/../outside/secret.txt"}) {
                assertThatThrownBy(() -> ws.readFile(path)).as(path).isInstanceOf(PathOutsideWorkspaceException.class);
                assertThatThrownBy(() -> ws.writeString(path, "x")).as(path)
                        .isInstanceOf(PathOutsideWorkspaceException.class);
                assertThatThrownBy(() -> ws.delete(path)).as(path).isInstanceOf(PathOutsideWorkspaceException.class);
            }
            assertThatThrownBy(() -> ws.exec(ExecRequest.builder("pwd").subdirectory("out").build()))
                    .isInstanceOf(PathOutsideWorkspaceException.class);
        }
        assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("secret");
        assertThat(outside.toFile().list()).containsExactly("secret.txt");
    }

    @Test
    void theEnvironmentHoldsTheMinimalSetAndTheGivenVariablesOnly() {
        try (LocalWorkspace ws = LocalWorkspace.temporary(Map.of("FROM_SPEC", "spec"), ISOLATED)) {
            ExecResult env = ws.exec(ExecRequest.builder("env").env("FROM_REQUEST", "request").build());

            assertThat(env.stdout().lines().sorted()).containsExactly("FROM_REQUEST=request", "FROM_SPEC=spec",
                    "HOME=/tmp", "LANG=C.UTF-8", "PATH=" + LocalSandbox.BASE_ENV.get("PATH"), "PWD=/workspace");
        }
    }

    @Test
    void aMissingProgramCannotBeStarted() {
        try (LocalWorkspace ws = LocalWorkspace.temporary(Map.of(), ISOLATED)) {
            assertThatThrownBy(() -> ws.exec("no-such-program-here")).isInstanceOf(CommandStartException.class)
                    .hasMessageContaining("no-such-program-here");
        }
    }

    @Test
    void theSpecChoosesIsolationOverTheConfiguration() {
        WorkspaceSpec spec = WorkspaceSpec.builder().path(dir.toString()).isolation(Isolation.NAMESPACES).build();
        try (Workspace isolated = Workspaces.create(spec, Settings.builder().build());
             Workspace plain = Workspaces.create(spec.newBuilder().isolation(Isolation.NONE).build(), ISOLATED)) {
            assertThat(isolated.exec("pwd").stdout()).isEqualTo("/workspace\n");
            assertThat(plain.exec("pwd").stdout()).isEqualTo(dir.toRealPath() + "\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void withoutBubblewrapTheModeIsUnavailableWithItsReason() {
        Settings missing = settings(Map.of(LocalWorkspace.BWRAP_KEY, dir.resolve("no-bwrap").toString()));

        assertThat(new LocalProvider().availability(missing).available()).isFalse();
        assertThat(new LocalProvider().availability(missing).reason()).contains("bubblewrap", "no-bwrap",
                LocalWorkspace.ISOLATION_KEY + "=none");
        assertThatThrownBy(() -> LocalWorkspace.temporary(Map.of(), missing))
                .isInstanceOf(ProviderUnavailableException.class).hasMessageContaining("namespaces");
        assertThat(new LocalProvider().availability(Settings.builder().build()).available()).isTrue();
    }

    @Test
    void aCommandReadsItsStdinAndItsVariablesAndNoOptionsFileIsLeft() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (LocalWorkspace ws = LocalWorkspace.temporary(Map.of("GREETING", "hello"), ISOLATED)) {
            ExecResult withStdin = ws.exec(ExecRequest.builder("sh", "-c", "echo $GREETING $TOKEN; cat")
                    .env(Map.of("TOKEN", "t0k3n")).stdin("from stdin\n").build());
            ExecResult without = ws.exec(ExecRequest.builder("sh", "-c", "echo $GREETING; cat")
                    .env(Map.of("TOKEN", "t0k3n")).build());

            assertThat(withStdin.stdout()).as(withStdin.stderr()).isEqualTo("hello t0k3n\nfrom stdin\n");
            assertThat(without.stdout()).as("no stdin: at its end at once").isEqualTo("hello\n");
            try (var left = Files.list(tmp)) {
                assertThat(left.map(Path::getFileName).map(Path::toString))
                        .noneMatch(name -> name.startsWith("magpie-bwrap-"));
            }
        }
    }

    @Test
    void withNoLimitSetCommandsKeepThisJvmsLimitsAndRunAlike() {
        try (LocalWorkspace ws = LocalWorkspace.temporary(Map.of("GREETING", "hello"),
                settings(Map.of(LocalWorkspace.LIMIT_FILE_SIZE_KEY, "unlimited")))) {
            ExecResult withStdin = ws.exec(ExecRequest.builder("sh", "-c", "echo $GREETING; cat").stdin("in\n")
                    .build());
            ExecResult without = ws.exec("sh", "-c", "echo $GREETING; cat; ulimit -f");

            assertThat(withStdin.stdout()).as(withStdin.stderr()).isEqualTo("hello\nin\n");
            assertThat(without.stdout()).as(without.stderr()).isEqualTo("hello\nunlimited\n");
        }
    }

    @Test
    void variablesLargerThanAPipeHoldsReachTheCommand() {
        Map<String, String> big = new java.util.TreeMap<>(); // 200 KB in all; one variable may hold 128 KiB at most
        for (int i = 0; i < 20; i++) {
            big.put("BIG" + i, "x".repeat(10_000));
        }
        try (LocalWorkspace ws = LocalWorkspace.temporary(Map.of(), ISOLATED)) {
            ExecResult result = ws.exec(ExecRequest.builder("sh", "-c", "env | grep -c '^BIG[0-9]*=x\\{10000\\}$'")
                    .env(big).build());

            assertThat(result.stdout()).as(result.stderr()).isEqualTo("20\n");
        }
    }

    @Test
    void aTimeoutKillsTheCommandAndWhatItStarted() throws Exception {
        String tag = "1019." + System.nanoTime() % 1_000_000;
        try (LocalWorkspace ws = LocalWorkspace.temporary(Map.of(), ISOLATED)) {
            ExecResult result = ws.exec(ExecRequest.builder("sh", "-c", "sleep " + tag + " & echo started; wait")
                    .timeout(Duration.ofMillis(500)).build());

            assertThat(result.timedOut()).isTrue();
            assertThat(result.stdout()).isEqualTo("started\n");
            assertThat(Processes.noneRunning(Duration.ofSeconds(5), "sleep", tag)).as("sleep %s after the timeout",
                    tag).isTrue();
            assertThat(ws.exec("echo", "after").stdout()).isEqualTo("after\n");
        }
    }

    @Test
    void aCommandWritingPastTheFileSizeLimitFails() {
        try (LocalWorkspace ws = LocalWorkspace.temporary(Map.of(),
                settings(Map.of(LocalWorkspace.LIMIT_FILE_SIZE_KEY, "1m")))) {
            ExecResult result = ws.exec("sh", "-c", "head -c 3000000 /dev/zero > big");

            assertThat(result.succeeded()).isFalse();
            assertThat(ws.exec("wc", "-c", "big").stdout()).isEqualTo("1048576 big\n");
        }
    }

    @Test
    void aCommandSpinningPastItsCpuTimeIsKilled() {
        try (LocalWorkspace ws = LocalWorkspace.temporary(Map.of(),
                settings(Map.of(LocalWorkspace.LIMIT_CPU_TIME_KEY, "1s")))) {
            ExecResult result = ws.exec(ExecRequest.builder("sh", "-c", "while :; do :; done")
                    .timeout(Duration.ofSeconds(60)).build());

            assertThat(result.timedOut()).isFalse();
            assertThat(result.exitCode()).isEqualTo(ExecResult.KILLED);
        }
    }

    @Test
    void aCommandAllocatingPastTheMemoryLimitFails() {
        try (LocalWorkspace ws = LocalWorkspace.temporary(Map.of(),
                settings(Map.of(LocalWorkspace.LIMIT_MEMORY_KEY, "64m")))) {
            ExecResult result = ws.exec("sh", "-c", "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo ${#x}");

            assertThat(result.succeeded()).as(result.output()).isFalse();
        }
    }

    @Test
    void malformedSettingsAreRefusedBeforeAnythingIsCreated() {
        for (Map.Entry<String, String> entry : Map.of(LocalWorkspace.NETWORK_KEY, "bridge",
                LocalWorkspace.LIMIT_PROCESSES_KEY, "0", LocalWorkspace.LIMIT_FILE_SIZE_KEY, "lots",
                LocalWorkspace.ISOLATION_KEY, "chroot").entrySet()) {
            Settings bad = entry.getKey().equals(LocalWorkspace.ISOLATION_KEY)
                    ? Settings.builder().values(Map.of(entry.getKey(), entry.getValue())).build()
                    : settings(Map.of(entry.getKey(), entry.getValue()));
            assertThatThrownBy(() -> LocalWorkspace.fromPath(dir, Map.of(), bad)).as(entry.toString())
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining(entry.getKey());
        }
        assertThat(dir.toFile().list()).isEmpty();
    }
}
