package dev.magpie.sandbox.docker;

import dev.magpie.sandbox.OutputListener;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One output stream of a command: keeps at most {@code limit} bytes (the head and the tail around a marker when
 * more arrived) and hands complete lines to the listener as they arrive. Memory stays bounded whatever the
 * command prints. Written by one thread, read after the command ended.
 */
final class OutputSink {

    /** Longest line handed to a listener; a longer one is passed on in pieces of this size. */
    static final int MAX_LINE = 64 * 1024;

    private final OutputListener listener;
    private final OutputListener.Channel channel;
    private final byte[] head;
    private final byte[] tail;
    private int headSize;
    private long tailWritten;
    private long total;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    OutputSink(int limit, OutputListener.Channel channel, OutputListener listener) {
        this.head = new byte[limit / 2];
        this.tail = new byte[limit - limit / 2];
        this.channel = channel;
        this.listener = listener;
    }

    synchronized void write(byte[] bytes) {
        total += bytes.length;
        int toHead = Math.min(bytes.length, head.length - headSize);
        System.arraycopy(bytes, 0, head, headSize, toHead);
        headSize += toHead;
        // Only the last tail.length bytes of the rest can survive in the ring.
        int skip = Math.max(toHead, bytes.length - tail.length);
        tailWritten += skip - toHead;
        for (int from = skip; from < bytes.length; ) {
            int at = (int) (tailWritten % tail.length);
            int n = Math.min(bytes.length - from, tail.length - at);
            System.arraycopy(bytes, from, tail, at, n);
            tailWritten += n;
            from += n;
        }
        if (listener != OutputListener.NONE) {
            splitLines(bytes);
        }
    }

    /** Passes on a last line that had no terminator. */
    synchronized void finish() {
        if (line.size() > 0) {
            emitLine();
        }
    }

    synchronized boolean truncated() {
        return total > head.length + tail.length;
    }

    synchronized String text() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(headSize + (int) Math.min(tailWritten, tail.length));
        out.write(head, 0, headSize);
        if (truncated()) {
            long omitted = total - head.length - tail.length;
            out.writeBytes(("\n[... " + omitted + " bytes omitted ...]\n").getBytes(StandardCharsets.UTF_8));
        }
        int kept = (int) Math.min(tailWritten, tail.length);
        int start = (int) ((tailWritten - kept) % tail.length);
        for (int i = 0; i < kept; i++) {
            out.write(tail[(start + i) % tail.length]);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private void splitLines(byte[] bytes) {
        for (byte b : bytes) {
            if (b == '\n') {
                emitLine();
            } else {
                line.write(b);
                if (line.size() >= MAX_LINE) {
                    emitLine();
                }
            }
        }
    }

    private void emitLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        try {
            listener.onLine(channel, text);
        } catch (RuntimeException e) {
            // A failing listener must not lose the command's output or its result.
        }
    }
}
