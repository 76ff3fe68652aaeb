package dev.magpie.daytona.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.nio.file.StandardOpenOption;

/**
 * A session command's live side: its merged log followed over a WebSocket while it runs, and input written to its
 * standard input.
 */
final class SessionLogs {

    /** How long a follower waits for output before it looks again whether the command ended. */
    private static final long WAIT_MILLIS = 1_000;

    private SessionLogs() {
    }

    /**
     * Sends the merged log (stdout and stderr chunks marked as the daemon marks them) as binary messages while the
     * command writes it, from its start; once the command ended and everything was sent, closes with 1000.
     */
    static void follow(WebSocket ws, Session.Command command) {
        // a client that leaves while the command is quiet is seen here, within one wait, not at the next output
        AtomicBoolean left = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            try {
                while (ws.read() != null) {
                    // the client sends nothing the follower needs
                }
            } catch (IOException e) {
                // the connection broke: the client is gone as well
            }
            left.set(true);
        }, "daytona-log-follower-watch");
        watcher.setDaemon(true);
        watcher.start();
        long sent = 0;
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try (FileChannel log = FileChannel.open(command.merged().file(), StandardOpenOption.READ)) {
            while (true) {
                // the exit code is set once the output is all written: read it before the size
                boolean ended = command.exitCode() != null;
                long size = command.merged().length();
                while (sent < size) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), size - sent));
                    int n = log.read(buffer, sent);
                    if (n < 0) {
                        throw new IOException("the log of command " + command.id + " shrank");
                    }
                    ws.sendBinary(buffer.array(), 0, n);
                    sent += n;
                }
                if (ended) {
                    ws.close(1000, "command ended");
                    return;
                }
                if (left.get()) {
                    ws.close();
                    return;
                }
                command.awaitOutput(sent, WAIT_MILLIS);
            }
        } catch (IOException e) {
            // the client left, or the session was deleted with its logs
            ws.close(1011, "log unavailable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ws.close(1001, "server closing");
        }
    }

    /** {@code POST .../command/<id>/input}: writes {@code data} to the command's standard input as it is. */
    static void input(Call call, Session.Command command) throws IOException {
        String data = call.json().path("data").asText(null);
        if (data == null) {
            call.toolboxError(400, "INVALID_REQUEST_BODY", "data is required: the text to write to the command");
            return;
        }
        if (command.exitCode() != null || !command.readsInput()) {
            call.toolboxError(410, "GONE", "command " + command.id + (command.exitCode() != null
                    ? " has exited with code " + command.exitCode() : " was run synchronously; its input is closed")
                    + "; run it with runAsync to send it input");
            return;
        }
        try {
            OutputStream in = command.process.getOutputStream();
            in.write(data.getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            call.toolboxError(410, "GONE", "command " + command.id + " closed its input: " + e.getMessage());
            return;
        }
        call.empty(204);
    }
}
