package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.OutputListener;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Keeps one stream's output within a byte limit: the first half of the limit as the head, the last half as a
 * ring-buffered tail, and a count of what fell between. Optionally splits the stream into lines for a live
 * listener. Memory stays bounded whatever the command prints. Thread-safe: a reader thread appends while the
 * caller may {@link #close()} it after a grace period.
 */
public final class OutputCollector {

    /** Longest line handed to a listener; longer runs without a newline arrive in pieces of this size. */
    static final int MAX_LINE = 64 * 1024;

    private final int headLimit;
    private final int tailLimit;
    private final OutputListener listener;
    private final OutputListener.Channel channel;
    private final ByteArrayOutputStream head = new ByteArrayOutputStream(256);
    private byte[] tail;
    private int tailStart;
    private int tailSize;
    private long dropped;
    private final ByteArrayOutputStream line;
    private boolean closed;

    public OutputCollector(int limit, OutputListener.Channel channel, OutputListener listener) {
        this.headLimit = limit / 2;
        this.tailLimit = limit - headLimit;
        this.channel = channel;
        this.listener = listener;
        this.line = listener == OutputListener.NONE ? null : new ByteArrayOutputStream(128);
    }

    /** Adds bytes read from the stream; ignored once closed. */
    public synchronized void append(byte[] bytes, int offset, int length) {
        if (closed) {
            return;
        }
        if (line != null) {
            feedLines(bytes, offset, length);
        }
        int toHead = Math.min(length, headLimit - head.size());
        if (toHead > 0) {
            head.write(bytes, offset, toHead);
        }
        if (toHead < length) {
            appendTail(bytes, offset + toHead, length - toHead);
        }
    }

    /** Stops accepting output: a process that keeps the stream open after the command ended adds nothing more. */
    public synchronized void close() {
        if (!closed && line != null && line.size() > 0) {
            emit();
        }
        closed = true;
    }

    /** Whether output was dropped between the head and the tail. */
    public synchronized boolean truncated() {
        return dropped > 0;
    }

    /** The kept output as UTF-8, with a marker where bytes were dropped. */
    public synchronized String text() {
        byte[] headBytes = head.toByteArray();
        if (dropped == 0) {
            byte[] all = Arrays.copyOf(headBytes, headBytes.length + tailSize);
            copyTail(all, headBytes.length);
            return new String(all, StandardCharsets.UTF_8);
        }
        // Cut at character boundaries so the kept halves decode cleanly around the marker.
        int headEnd = Utf8.lastBoundary(headBytes, headBytes.length);
        byte[] tailBytes = new byte[tailSize];
        copyTail(tailBytes, 0);
        int tailFrom = Utf8.firstBoundary(tailBytes);
        long cut = dropped + (headBytes.length - headEnd) + tailFrom;
        return new String(headBytes, 0, headEnd, StandardCharsets.UTF_8)
                + "\n[... " + cut + " bytes truncated ...]\n"
                + new String(tailBytes, tailFrom, tailBytes.length - tailFrom, StandardCharsets.UTF_8);
    }

    private void appendTail(byte[] bytes, int offset, int length) {
        if (tailLimit == 0) {
            dropped += length;
            return;
        }
        if (tail == null) {
            tail = new byte[tailLimit];
        }
        if (length >= tailLimit) {
            dropped += tailSize + (length - tailLimit);
            System.arraycopy(bytes, offset + length - tailLimit, tail, 0, tailLimit);
            tailStart = 0;
            tailSize = tailLimit;
            return;
        }
        int overflow = Math.max(0, tailSize + length - tailLimit);
        dropped += overflow;
        tailStart = (tailStart + overflow) % tailLimit;
        tailSize -= overflow;
        int writeAt = (tailStart + tailSize) % tailLimit;
        int first = Math.min(length, tailLimit - writeAt);
        System.arraycopy(bytes, offset, tail, writeAt, first);
        System.arraycopy(bytes, offset + first, tail, 0, length - first);
        tailSize += length;
    }

    private void copyTail(byte[] into, int at) {
        if (tailSize == 0) {
            return;
        }
        int first = Math.min(tailSize, tailLimit - tailStart);
        System.arraycopy(tail, tailStart, into, at, first);
        System.arraycopy(tail, 0, into, at + first, tailSize - first);
    }

    private void feedLines(byte[] bytes, int offset, int length) {
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (bytes[i] == '\n') {
                line.write(bytes, start, i - start);
                emit();
                start = i + 1;
            } else if (line.size() + (i - start) >= MAX_LINE) {
                line.write(bytes, start, i - start);
                emit();
                start = i;
            }
        }
        line.write(bytes, start, end - start);
    }

    private void emit() {
        byte[] bytes = line.toByteArray();
        int size = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        line.reset();
        try {
            listener.onLine(channel, new String(bytes, 0, size, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            // A failing listener must neither break the command nor lose its output.
            line.reset();
        }
    }
}
