package dev.magpie.daytona.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The standalone server in a JVM of its own, with a small heap: for attacks that must not take the test JVM down,
 * and for stopping it with SIGTERM as an operator would.
 */
final class ForkedServer implements AutoCloseable {

    static final String KEY = "forked-key";

    final Process process;
    final String baseUrl;
    final int port;

    private ForkedServer(Process process, String baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.port = Integer.parseInt(baseUrl.replaceAll(".*:(\\d+)/api$", "$1"));
    }

    /** Starts the server with this heap limit (e.g. {@code 64m}) and options; returns once it listens. */
    static ForkedServer start(String heap, Path root, String... options) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-cp",
                System.getProperty("java.class.path"), ServerMain.class.getName(), "--api-key", KEY,
                "--root", root.toString()));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.trim().startsWith("DAYTONA_API_URL=")) {
                Thread drain = new Thread(() -> drain(out), "forked-server-output");
                drain.setDaemon(true);
                drain.start();
                return new ForkedServer(process, line.trim().substring("DAYTONA_API_URL=".length()));
            }
        }
        process.destroyForcibly();
        throw new IOException("the forked server exited before listening:\n" + seen);
    }

    /** Stops the server with SIGTERM and waits for it to exit. */
    void terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the forked server did not exit within 60 s of SIGTERM");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            terminate();
        }
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // keep the pipe flowing
            }
        } catch (IOException e) {
            // the server exited
        }
    }
}
