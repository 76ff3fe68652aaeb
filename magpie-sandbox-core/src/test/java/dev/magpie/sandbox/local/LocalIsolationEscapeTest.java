package dev.magpie.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.Settings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands of an isolated workspace trying to reach what the machine holds beyond their workspace: the user's
 * home, other processes' environments, the file system, the host's loopback, the time after their workspace, and
 * the machine's process table. Each attack runs as a command would in a test, and is checked from this side.
 */
class LocalIsolationEscapeTest {

    static final Settings ISOLATED = settings(Map.of());

    @TempDir
    Path hostDir;

    private LocalWorkspace workspace;

    static Settings settings(Map<String, String> more) {
        Map<String, String> values = new HashMap<>(more);
        values.put(LocalWorkspace.ISOLATION_KEY, "namespaces");
        return Settings.builder().values(values).build();
    }

    @BeforeEach
    void create() {
        workspace = LocalWorkspace.temporary(Map.of(), ISOLATED);
    }

    @AfterEach
    void destroy() {
        workspace.destroy();
    }

    @Test
    void aSecretInTheUsersHomeCannotBeRead() throws IOException {
        String secret = "home-secret-" + UUID.randomUUID();
        Path home = Path.of(System.getProperty("user.home"));
        Path planted = home.resolve(".magpie-escape-" + UUID.randomUUID());
        Files.writeString(planted, secret);
        try {
            ExecResult result = workspace.exec("sh", "-c", "cat \"$1\"; cat ~/\"$2\"; ls -A \"$3\"", "sh",
                    planted.toString(), planted.getFileName().toString(), home.toString());

            assertThat(result.output()).doesNotContain(secret);
            assertThat(result.stdout()).doesNotContain(planted.getFileName().toString());
        } finally {
            Files.delete(planted);
        }
    }

    @Test
    void noOtherProcessesEnvironmentCanBeRead() {
        long jvm = ProcessHandle.current().pid();
        ExecResult result = workspace.exec("sh", "-c", "cat /proc/1/environ /proc/$1/environ /proc/[0-9]*/environ "
                + "2>/dev/null | tr '\\0' '\\n'", "sh", Long.toString(jvm));

        // Only what the workspace gave its commands: the JVM's own variables never appear.
        System.getenv().forEach((name, value) -> {
            if (!LocalSandbox.BASE_ENV.containsKey(name) && value.length() >= 4) {
                assertThat(result.stdout()).as("the JVM's %s", name).doesNotContain(name + "=" + value);
            }
        });
        // The sandbox's first process is bubblewrap's, with the launcher's fixed variables and the library's markers.
        assertThat(result.stdout().lines().map(line -> line.substring(0, Math.max(0, line.indexOf('=')))))
                .allMatch(name -> name.isEmpty() || name.equals("PWD") || name.startsWith("MAGPIE_")
                        || LocalSandbox.BASE_ENV.containsKey(name) || Bubblewrap.LAUNCHER_ENV.containsKey(name));
        assertThat(result.stdout()).doesNotContain(workspace.directory().toString());
    }

    @Test
    void nothingOutsideTheWorkspaceCanBeWritten() {
        Path home = Path.of(System.getProperty("user.home"));
        String name = "magpie-escape-" + UUID.randomUUID();
        ExecResult result = workspace.exec("sh", "-c", "for d in \"$@\"; do echo x > \"$d/" + name + "\"; done; "
                + "mkdir /" + name + "; echo x > /proc/self/root/" + name, "sh", hostDir.toString(), home.toString(),
                "/etc", "/usr", "/usr/bin", "/var/tmp", "/dev/shm", "/tmp");

        for (Path dir : new Path[] {hostDir, home, Path.of("/etc"), Path.of("/usr"), Path.of("/usr/bin"),
                Path.of("/var/tmp"), Path.of("/dev/shm"), Path.of("/tmp"), Path.of("/")}) {
            assertThat(dir.resolve(name)).as("written by %s", result.commandLine()).doesNotExist();
        }
    }

    @Test
    void aRequestsVariablesDoNotActOnTheLauncher() throws IOException {
        Path escaped = hostDir.resolve("escaped");
        workspace.writeString("bin/bwrap", "#!/bin/sh\necho escaped > " + escaped + "\n");
        workspace.exec("chmod", "+x", "bin/bwrap");
        String hostBin = workspace.directory().resolve("bin").toString();

        workspace.exec(ExecRequest.builder("true").env("PATH", hostBin + ":/usr/bin:/bin").build());
        workspace.exec(ExecRequest.builder("true").env("LD_PRELOAD", hostBin + "/missing.so").build());

        assertThat(escaped).as("written by the workspace's own bwrap, run unsandboxed").doesNotExist();
    }

    @Test
    void aSecretVariableIsNotLeftOnThisMachinesDiskWhileItsCommandRuns() throws Exception {
        String secret = "disk-secret-" + UUID.randomUUID();
        CompletableFuture<ExecResult> running = CompletableFuture.supplyAsync(() -> workspace.exec(ExecRequest
                .builder("sh", "-c", "touch started; i=0; while [ ! -e go ] && [ $i -lt 1000 ]; do sleep 0.01;"
                        + " i=$((i+1)); done").env("DEPLOY_TOKEN", secret).build()));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!workspace.exists("started")) {
            assertThat(System.nanoTime()).as("the command did not start within 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }

        try (Stream<Path> temp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(temp.filter(Files::isRegularFile).filter(file -> contains(file, secret)))
                    .as("files of the temporary directory holding the secret while the command runs").isEmpty();
        } finally {
            workspace.writeString("go", "");
            running.get(10, TimeUnit.SECONDS);
        }
    }

    private static boolean contains(Path file, String text) {
        try {
            return Files.size(file) < (1 << 20) && Files.readString(file, StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
            return false; // gone meanwhile, or not readable: it holds nothing we could read
        }
    }

    @Test
    void theHostsLoopbackCannotBeReached() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ExecResult result = workspace.exec("bash", "-c", "echo hello > /dev/tcp/127.0.0.1/$1", "bash",
                    Integer.toString(server.getLocalPort()));

            assertThat(result.exitCode()).as(result.stderr()).isNotZero();
            assertThat(accepted(server)).as("a connection from the sandbox").isFalse();
        }
    }

    @Test
    void theHostNetworkPolicyReachesTheHostsLoopback() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             LocalWorkspace shared = LocalWorkspace.temporary(Map.of(),
                     settings(Map.of(LocalWorkspace.NETWORK_KEY, "host")))) {
            ExecResult result = shared.exec("bash", "-c", "echo hello > /dev/tcp/127.0.0.1/$1", "bash",
                    Integer.toString(server.getLocalPort()));

            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(accepted(server)).isTrue();
        }
    }

    @Test
    void noDaemonOutlivesItsCommandOrTheWorkspace() throws Exception {
        String tag = "1017." + Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000);
        ExecResult result = workspace.exec("sh", "-c", "(setsid env -i sh -c 'echo $$ > daemon.pid; exec sleep "
                + tag + "' </dev/null >/dev/null 2>&1 &); while [ ! -s daemon.pid ]; do sleep 0.01; done; cat daemon.pid");
        assertThat(result.stdout()).as("the daemon's pid in the sandbox").matches("\\d+\n");
        assertThat(Processes.noneRunning(Duration.ofSeconds(5), "sleep", tag)).as("sleep %s after its command", tag)
                .isTrue();
        workspace.destroy();

        assertThat(Processes.noneRunning(Duration.ofSeconds(5), "sleep", tag)).as("sleep %s after destroy", tag)
                .isTrue();
    }

    @Test
    void aForkBombFailsItsOwnCommandOnly() throws Exception {
        try (LocalWorkspace bombed = LocalWorkspace.temporary(Map.of(),
                settings(Map.of(LocalWorkspace.LIMIT_PROCESSES_KEY, "64")))) {
            // Processes that stay alive, more than the limit: the forks past it fail whatever the scheduling (a
            // classic `b | b &` bomb can end its first shell before its children reach the limit).
            ExecResult bomb = bombed.exec(ExecRequest.builder("sh", "-c",
                    "i=0; while [ $i -lt 200 ]; do sleep 30 & i=$((i + 1)); done; wait")
                    .timeout(Duration.ofSeconds(10)).outputLimit(4096).build());

            assertThat(bomb.stderr()).as("forks refused past the limit, in %s", bomb).containsIgnoringCase("fork");
            assertThat(new ProcessBuilder("true").start().waitFor()).as("this side can still start processes")
                    .isZero();
            assertThat(bombed.exec("echo", "after").stdout()).isEqualTo("after\n");
            assertThat(workspace.exec("echo", "beside").stdout()).isEqualTo("beside\n");
        }
    }

    /** Whether a connection reached the server; one made by a command that has ended is already queued. */
    private static boolean accepted(ServerSocket server) throws IOException {
        server.setSoTimeout(500);
        try (Socket socket = server.accept()) {
            return socket.isConnected();
        } catch (SocketTimeoutException e) {
            return false;
        }
    }
}
