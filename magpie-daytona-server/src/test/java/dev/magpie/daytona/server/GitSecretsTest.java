package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A clone's credentials, looked for while git waits on a remote that took them and stalls: in no process's
 * arguments or environment, no file of the sandbox, no reply, no recorded exchange's printed form.
 */
class GitSecretsTest {

    private static final String PASSWORD = "pw-5ecret-9f3a";

    @Test
    void aStalledCloneShowsItsPasswordNowhere() throws Exception {
        List<Socket> stalled = new CopyOnWriteArrayList<>();
        CountDownLatch authorized = new CountDownLatch(1);
        List<String> printed = new CopyOnWriteArrayList<>();
        try (DaytonaServer server = DaytonaServer.start();
             ServerSocket remote = new ServerSocket(0, 16, InetAddress.getLoopbackAddress())) {
            server.onExchange(e -> printed.add(e.toString()));
            Thread remoteThread = new Thread(() -> serve(remote, stalled, authorized), "stalling-remote");
            remoteThread.setDaemon(true);
            remoteThread.start();
            ServerCalls calls = new ServerCalls(server);
            String id = calls.started("{}");
            CompletableFuture<HttpResponse<String>> clone = CompletableFuture.supplyAsync(() -> {
                try {
                    return calls.call("POST", "/toolbox/" + id + "/git/clone", "{\"url\":\"http://127.0.0.1:"
                            + remote.getLocalPort() + "/repo.git\",\"path\":\"repo\",\"username\":\"someone\","
                            + "\"password\":\"" + PASSWORD + "\"}");
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(authorized.await(20, java.util.concurrent.TimeUnit.SECONDS))
                    .as("git sent the credentials within 20 s").isTrue();

            assertThat(processesHolding("cmdline", PASSWORD)).as("process arguments holding the password").isEmpty();
            // the sandbox's processes run as the same user as git: they could read its environment
            assertThat(processesHolding("environ", PASSWORD)).as("process environments holding the password")
                    .isEmpty();
            assertThat(filesHolding(server.directory(id).orElseThrow().getParent(), PASSWORD))
                    .as("files of the sandbox holding the password").isEmpty();

            stalled.forEach(GitSecretsTest::closeQuietly);
            HttpResponse<String> reply = clone.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(reply.statusCode()).isNotEqualTo(200);
            assertThat(reply.body()).doesNotContain(PASSWORD);
            assertThat(String.join("\n", printed)).doesNotContain(PASSWORD);
        }
    }

    @Test
    void credentialsWithALineBreakAreABadRequest() throws Exception {
        try (DaytonaServer server = DaytonaServer.start()) {
            ServerCalls calls = new ServerCalls(server);
            String id = calls.started("{}");

            HttpResponse<String> reply = calls.call("POST", "/toolbox/" + id + "/git/clone", "{\"url\":"
                    + "\"http://127.0.0.1:9/repo.git\",\"path\":\"repo\",\"username\":\"someone\","
                    + "\"password\":\"line\\nprotocol=file\"}");

            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(400);
            assertThat(reply.body()).contains("newline").doesNotContain("protocol=file");
        }
    }

    /** Asks for credentials first, then takes the request that carries them and never answers it. */
    private static void serve(ServerSocket remote, List<Socket> stalled, CountDownLatch authorized) {
        while (!remote.isClosed()) {
            try {
                Socket s = remote.accept();
                String head = head(s.getInputStream());
                if (head.toLowerCase().contains("\nauthorization: basic")) {
                    stalled.add(s);
                    authorized.countDown();
                } else {
                    s.getOutputStream().write(("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"r\"\r\n"
                            + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    s.close();
                }
            } catch (IOException e) {
                // the remote closed
            }
        }
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        int b;
        while (!raw.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n") && (b = in.read()) >= 0) {
            raw.write(b);
        }
        return raw.toString(StandardCharsets.ISO_8859_1);
    }

    /** The processes whose /proc file (cmdline or environ) holds the secret, with their arguments. */
    private static List<String> processesHolding(String file, String secret) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String args = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (new String(Files.readAllBytes(proc.resolve(file)), StandardCharsets.UTF_8).contains(secret)) {
                        found.add(proc + ": " + args.replace('\0', ' ').replace(secret, "<password>"));
                    }
                } catch (IOException e) {
                    // gone meanwhile, or not ours to read
                }
            }
        }
        return found;
    }

    private static List<String> filesHolding(Path root, String secret) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                try {
                    if (new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(secret)) {
                        found.add(root.relativize(file).toString());
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        }
        return found;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
