package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TempRootsTest {

    @TempDir
    Path parent;

    @Test
    void sweepsRootsOfDeadOrReusedPidsButNeverOfLiveOwners() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        Process alive = new ProcessBuilder("sleep", "30").start();
        try {
            long aliveStart = TempRoots.startMillis(alive.toHandle()).orElseThrow();
            long selfStart = TempRoots.startMillis(ProcessHandle.current()).orElseThrow();
            Path dead = root("magpie-daytona-" + finished.pid() + "-" + (selfStart - 5_000) + "-1");
            Files.createDirectories(dead.resolve("sbx/home"));
            Files.writeString(dead.resolve("sbx/home/file.txt"), "left behind");
            Path reused = root("magpie-daytona-" + alive.pid() + "-" + (aliveStart - 60_000) + "-2");
            Path live = root("magpie-daytona-" + alive.pid() + "-" + aliveStart + "-3");
            Path mine = root("magpie-daytona-" + ProcessHandle.current().pid() + "-" + selfStart + "-4");
            Path unrelated = root("magpie-daytona-123");

            assertThat(TempRoots.sweep(parent)).containsExactlyInAnyOrder(dead, reused);
            assertThat(dead).doesNotExist();
            assertThat(reused).doesNotExist();
            assertThat(live).isDirectory();
            assertThat(mine).isDirectory();
            assertThat(unrelated).isDirectory();
        } finally {
            alive.destroyForcibly().waitFor();
        }
    }

    @Test
    void aNewRootSweepsFirstAndIsNamedForThisJvm() throws Exception {
        Path stale = root("magpie-daytona-999999999-1-x");
        Path created = TempRoots.create(parent);
        assertThat(stale).doesNotExist();
        assertThat(created.getParent()).isEqualTo(parent);
        assertThat(created.getFileName().toString()).startsWith("magpie-daytona-" + ProcessHandle.current().pid()
                + "-" + TempRoots.startMillis(ProcessHandle.current()).orElseThrow() + "-");
    }

    @Test
    void aServerDeletesItsOwnRootOnClose() throws Exception {
        Path root;
        try (DaytonaServer server = DaytonaServer.start()) {
            HttpRequest create = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/sandbox"))
                    .header("Authorization", "Bearer " + server.apiKey()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
            HttpResponse<String> reply = HttpClient.newHttpClient().send(create, HttpResponse.BodyHandlers.ofString());
            assertThat(reply.statusCode()).isEqualTo(200);
            String id = server.sandboxIds().iterator().next();
            root = server.directory(id).orElseThrow().getParent().getParent();
            assertThat(root.getFileName().toString())
                    .startsWith("magpie-daytona-" + ProcessHandle.current().pid() + "-");
            assertThat(root).isDirectory();
        }
        assertThat(root).doesNotExist();
    }

    private Path root(String name) throws Exception {
        return Files.createDirectories(parent.resolve(name));
    }
}
