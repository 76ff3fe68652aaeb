package dev.magpie.daytona.server;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Messages to one WebSocket, sent in order by a thread of its own: the thread that produces them (the clock's, a
 * request's, a terminal's output pump) waits at most a given time on a client that does not read, so it holds up
 * no other client for longer. A client that stays a given number of messages behind for that time is disconnected;
 * memory stays bounded.
 */
final class Outbox {

    /** One queued message; false when it ended the socket. */
    @FunctionalInterface
    private interface Item {
        boolean sendTo(WebSocket ws) throws IOException;
    }

    private final WebSocket ws;
    private final BlockingQueue<Item> queue;
    private final long waitMillis;
    private final Thread sender;
    private volatile boolean dropped;

    /**
     * @param maxBehind how many messages may wait to be sent
     * @param waitMillis how long a producer waits for room before the client is disconnected; 0 not at all
     */
    Outbox(WebSocket ws, int maxBehind, long waitMillis, String threadName) {
        this.ws = ws;
        this.queue = new ArrayBlockingQueue<>(maxBehind);
        this.waitMillis = waitMillis;
        this.sender = new Thread(this::send, threadName);
        sender.setDaemon(true);
        sender.start();
    }

    void text(String text) {
        offer(ws -> {
            ws.sendText(text);
            return true;
        });
    }

    /** Queues the bytes as they are: the caller hands them over and does not change them. */
    void binary(byte[] bytes) {
        offer(ws -> {
            ws.sendBinary(bytes, 0, bytes.length);
            return true;
        });
    }

    /** Closes the socket with the code and reason once everything queued before was sent. */
    void end(int code, String reason) {
        offer(ws -> {
            ws.close(code, reason);
            return false;
        });
    }

    /** Stops sending (the client left): what is still queued is dropped. */
    void cancel() {
        sender.interrupt();
    }

    private void offer(Item item) {
        try {
            if (!dropped && !queue.offer(item, waitMillis, TimeUnit.MILLISECONDS)) {
                // closing the socket also ends a send blocked on it, and the client's reading loop
                dropped = true;
                ws.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dropped = true;
            ws.close();
        }
    }

    private void send() {
        try {
            while (queue.take().sendTo(ws)) {
                // next message
            }
        } catch (IOException | InterruptedException e) {
            // the client left or was dropped: its reading loop ends on the closed socket
            ws.close();
        }
    }
}
