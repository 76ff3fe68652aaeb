package dev.magpie.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.JvmIdentity;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Repositories and directories put into containers, from real git repositories this test creates. */
@EnabledWithDockerEngine
class DockerRepositoryTest {

    @TempDir
    static Path dir;
    private static Path repo;

    @BeforeAll
    static void createRepository() throws Exception {
        repo = dir.resolve("widgets");
        Files.createDirectories(repo);
        git(repo, "init", "--quiet", "--initial-branch=main");
        Files.writeString(repo.resolve("version.txt"), "v1\n");
        git(repo, "add", ".");
        git(repo, "commit", "--quiet", "-m", "v1");
        git(repo, "tag", "release-1");
        git(repo, "checkout", "--quiet", "-b", "feature");
        Files.writeString(repo.resolve("version.txt"), "v2\n");
        git(repo, "commit", "--quiet", "-am", "v2");
        git(repo, "checkout", "--quiet", "main");
    }

    @Test
    void clonesALocalRepositoryOnThisMachineAndCopiesItIn() {
        try (DockerWorkspace workspace = DockerWorkspace.builder(DockerEngineCondition.TEST_IMAGE)
                .repository(repo.toString()).ref("feature").build()) {
            assertThat(workspace.readString("version.txt")).isEqualTo("v2\n");
            assertThat(workspace.exec("git", "log", "--format=%s").stdout()).isEqualTo("v2\nv1\n");
            assertThat(workspace.exec("git", "status", "--porcelain").stdout()).isEmpty();
        }
    }

    @Test
    void clonesWithTheContainersOwnGitOverTheNetwork() throws Exception {
        Path bare = dir.resolve("served.git");
        git(dir, "clone", "--quiet", "--bare", repo.toString(), bare.toString());
        git(bare, "update-server-info");
        HttpServer server = HttpServer.create(new InetSocketAddress(0), 0);
        server.createContext("/", exchange -> {
            Path file = bare.resolve(exchange.getRequestURI().getPath().substring("/served.git/".length()));
            byte[] body = Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        try (DockerWorkspace workspace = DockerWorkspace.builder(DockerEngineCondition.TEST_IMAGE)
                .repository("http://" + bridgeGateway() + ":" + server.getAddress().getPort() + "/served.git")
                .ref("release-1").cloneMode(DockerWorkspaceBuilder.CloneMode.IN_CONTAINER).build()) {
            assertThat(workspace.readString("version.txt")).isEqualTo("v1\n");
            assertThat(workspace.exec("git", "remote", "get-url", "origin").stdout()).startsWith("http://");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void clonesOnThisMachineWhenTheNetworkIsOff() {
        try (DockerWorkspace workspace = DockerWorkspace.builder(DockerEngineCondition.TEST_IMAGE).network(false)
                .repository(repo.toUri().toString()).build()) {
            assertThat(workspace.readString("version.txt")).isEqualTo("v1\n");
        }
    }

    @Test
    void copiesADirectoryInKeepingExecutableBitsAndSymlinks() throws IOException {
        Path source = Files.createDirectories(dir.resolve("copy-source/bin"));
        Files.writeString(source.resolve("run.sh"), "#!/bin/sh\necho ran\n");
        Files.setPosixFilePermissions(source.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(source.resolve("link.sh"), Path.of("run.sh"));

        try (DockerWorkspace workspace = DockerWorkspace.builder(DockerEngineCondition.TEST_IMAGE)
                .copyFrom(source.getParent()).build()) {
            assertThat(workspace.exec("bin/link.sh").stdout()).isEqualTo("ran\n");
            assertThat(workspace.list("bin")).containsExactly("link.sh", "run.sh");
        }
    }

    @Test
    void aFailedCloneReportsGitsErrorAndLeavesNoContainer() {
        DockerEngine engine = DockerEngine.connect(DockerEngine.DEFAULT_PROBE_TIMEOUT);
        Map<String, String> mine = Map.of(ContainerLabels.JVM, JvmIdentity.current().label());
        int before = engine.client().listContainersCmd().withShowAll(true).withLabelFilter(mine).exec().size();

        assertThatThrownBy(() -> DockerWorkspace.builder(DockerEngineCondition.TEST_IMAGE)
                .repository(repo.toString()).ref("no-such-branch").build())
                .isInstanceOf(WorkspaceException.class)
                .hasMessageContaining("no-such-branch");
        assertThat(engine.client().listContainersCmd().withShowAll(true).withLabelFilter(mine).exec())
                .hasSize(before);
    }

    /** This machine's address on the engine's default bridge, which containers reach it by. */
    private static String bridgeGateway() throws IOException {
        DockerEngine engine = DockerEngine.connect(DockerEngine.DEFAULT_PROBE_TIMEOUT);
        String bridge = engine.client().inspectNetworkCmd().withNetworkId("bridge").exec().getOptions()
                .getOrDefault("com.docker.network.bridge.name", "docker0");
        java.net.NetworkInterface nic = java.net.NetworkInterface.getByName(bridge);
        // A remote engine's bridge is on another machine: this test needs the engine on this one.
        org.junit.jupiter.api.Assumptions.assumeTrue(nic != null, "the engine's bridge " + bridge + " is not here");
        return nic.inetAddresses().filter(a -> a instanceof java.net.Inet4Address).findFirst().orElseThrow()
                .getHostAddress();
    }

    static void git(Path directory, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-c", "user.name=Test",
                "-c", "user.email=test@example.invalid"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as("git %s: %s", List.of(args), output).isZero();
    }
}
