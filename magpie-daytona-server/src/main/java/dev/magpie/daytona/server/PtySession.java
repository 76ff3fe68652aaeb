package dev.magpie.daytona.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A pseudo-terminal session: an interactive {@code bash} on a terminal that {@code script} (util-linux) opens in
 * the sandbox. Its output goes to every connected WebSocket as binary messages; input from any of them goes to the
 * terminal. When the shell exits, clients that asked for it get the daemon's {@code exited} control message, then
 * every socket is closed.
 */
final class PtySession {

    /** The subprotocol with which a client asks for the {@code exited} control message. */
    static final String EXIT_CONTROL = "X-Daytona-Pty-Exit-Control";

    final String id;
    final String cwd;
    final Map<String, String> envs;
    final Instant createdAt = Instant.now();
    private final LocalSandbox sandbox;
    private volatile Process process;
    private volatile int cols;
    private volatile int rows;
    /** How many output chunks (up to 8 KiB each) may wait to be sent to a client. */
    private static final int MAX_BEHIND = 256;
    /**
     * How long the output waits for a client with no room left before that client is disconnected: a client that
     * reads slower than the shell writes slows the shell down, one that stopped reading stalls it for this long.
     */
    private static final long WAIT_MILLIS = 5_000;

    /** A connected socket: what it is sent, and whether it takes the exit control message. */
    private record Client(Outbox outbox, boolean exitControl) {
    }

    /** Each connected socket; output goes to each through its own outbox, so one that does not read stalls none. */
    private final Map<WebSocket, Client> clients = new ConcurrentHashMap<>();

    PtySession(LocalSandbox sandbox, String id, String cwd, Map<String, String> envs, int cols, int rows) {
        this.sandbox = sandbox;
        this.id = id;
        this.cwd = cwd;
        this.envs = Map.copyOf(envs);
        this.cols = cols;
        this.rows = rows;
    }

    /** Starts the shell; clients attached before see its output from the first byte. */
    void start() throws IOException {
        Map<String, String> env = new LinkedHashMap<>(envs);
        env.putIfAbsent("TERM", "xterm-256color");
        String shell = "stty cols " + cols + " rows " + rows + " 2>/dev/null; exec bash -i";
        this.process = sandbox.exec("exec script -qfec '" + shell + "' /dev/null", cwd, env,
                true, null);
        Thread pump = new Thread(this::pump, "daytona-pty-output");
        pump.setDaemon(true);
        pump.start();
    }

    boolean active() {
        return process != null && process.isAlive();
    }

    /** Tells the client it is connected; from now on it gets the terminal's output. */
    void attach(WebSocket ws, boolean exitControl) throws IOException {
        ws.sendText("{\"type\":\"control\",\"status\":\"connected\"}");
        clients.put(ws, new Client(new Outbox(ws, MAX_BEHIND, WAIT_MILLIS, "daytona-pty-send"), exitControl));
    }

    /**
     * Serves an attached client until it leaves or the shell exits: its messages are the terminal's input. Once the
     * shell exited, the client's outbox sends what is left and closes the socket, which ends this.
     */
    void serve(WebSocket ws) throws IOException {
        if (!process.isAlive()) {
            ended(ws);
        }
        OutputStream in = process.getOutputStream();
        byte[] message;
        try {
            while ((message = ws.read()) != null) {
                try {
                    in.write(message);
                    in.flush();
                } catch (IOException e) {
                    // the shell exited: its end reaches the client through the outbox
                }
            }
        } finally {
            Client left = clients.remove(ws);
            if (left != null) {
                left.outbox().cancel();
            }
        }
    }

    /**
     * Records the size and applies it to the terminal where this machine sees the shell's terminal (processes of
     * this machine; a container's are not visible from here), then tells the shell.
     */
    void resize(int cols, int rows) {
        this.cols = cols;
        this.rows = rows;
        if (process == null) {
            return;
        }
        process.descendants().forEach(p -> {
            try {
                Path stdin = Path.of("/proc", Long.toString(p.pid()), "fd", "0");
                if (Files.readSymbolicLink(stdin).toString().startsWith("/dev/pts/")) {
                    // Through the process's own descriptor: a sandbox in namespaces has a /dev/pts of its own, where
                    // the same name is another terminal than this machine's.
                    quietly("stty", "-F", stdin.toString(), "cols", Integer.toString(cols), "rows",
                            Integer.toString(rows));
                    quietly("kill", "-WINCH", Long.toString(p.pid()));
                }
            } catch (IOException | UnsupportedOperationException e) {
                // not a process of this machine's terminal: the size is recorded only
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Runs a helper to its end with no pipe left open: its output is not wanted. */
    private static void quietly(String... command) throws IOException, InterruptedException {
        new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start().waitFor();
    }

    void kill() {
        if (process != null) {
            sandbox.runtime.kill(sandbox, process);
        }
    }

    /** The {@code PtySessionInfo} of toolbox.json. */
    Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("active", active());
        out.put("cols", cols);
        out.put("rows", rows);
        out.put("cwd", cwd == null ? sandbox.runtime.home(sandbox) : cwd);
        out.put("envs", envs);
        out.put("createdAt", createdAt.toString());
        out.put("lazyStart", false);
        return out;
    }

    private void pump() {
        byte[] buffer = new byte[8192];
        try (InputStream out = process.getInputStream()) {
            int n;
            while ((n = out.read(buffer)) > 0) {
                byte[] chunk = Arrays.copyOf(buffer, n);
                clients.values().forEach(client -> client.outbox().binary(chunk));
            }
        } catch (IOException e) {
            // the shell was killed
        }
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Set.copyOf(clients.keySet()).forEach(this::ended);
    }

    /** Sends the client, after the output queued for it, the exit control message if it asked, then closes it. */
    private void ended(WebSocket ws) {
        Client client = clients.remove(ws);
        if (client == null) {
            return;
        }
        if (client.exitControl()) {
            try {
                client.outbox().text(Call.JSON.writeValueAsString(Map.of("type", "control", "status", "exited",
                        "exitCode", process.exitValue())));
            } catch (IOException e) {
                throw new IllegalStateException("a map of strings and a number is always JSON", e);
            }
        }
        client.outbox().end(1000, "the shell exited");
    }

    /** Whether the client offered the exit control subprotocol. */
    static boolean offersExitControl(String protocols) {
        return protocols != null && List.of(protocols.split("\\s*,\\s*")).contains(EXIT_CONTROL);
    }
}
