package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The stdin of a background command, fed while it runs: writes queue chunks that the command's feeder reads in
 * order; {@link #close()} ends the stream after what was queued. Unlike a piped stream it does not depend on the
 * writing thread staying alive.
 */
final class StreamInput extends InputStream implements LiveInput {

    private static final byte[] END = new byte[0];

    private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private byte[] current = new byte[0];
    private int at;
    private boolean ended;

    @Override
    public ExecRequest attach(ExecRequest request) {
        return request.newBuilder().stdin(() -> this).build();
    }

    @Override
    public void write(byte[] bytes) {
        chunks.add(bytes.clone());
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] buffer, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        while (at == current.length) {
            if (ended) {
                return -1;
            }
            try {
                current = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
            at = 0;
            ended = current == END;
        }
        int count = Math.min(length, current.length - at);
        System.arraycopy(current, at, buffer, offset, count);
        at += count;
        return count;
    }

    @Override
    public void checkStarted(ExecRequest request, ExecResult ran) {
        // the command itself was started: a failure to start came as the provider's own exception
    }

    @Override
    public void release() {
        close();
    }

    @Override
    public void close() {
        chunks.add(END);
    }
}
