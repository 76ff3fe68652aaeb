package dev.magpie.sandbox.docker;

import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The attached stdin of a command channel: requests queued by callers, read by the engine client's copying
 * thread, which flushes each read. Closing it ends the input, and the client half-closes the connection.
 */
final class ChannelInput extends InputStream {

    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private byte[] current = new byte[0];
    private int position;
    private boolean ended;

    void send(byte[] bytes) {
        queue.add(bytes.clone());
    }

    @Override
    public void close() {
        queue.add(END);
    }

    @Override
    public int read() throws InterruptedIOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws InterruptedIOException {
        if (length == 0) {
            return 0;
        }
        synchronized (this) {
            while (!ended && position == current.length) {
                try {
                    current = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("Interrupted while waiting for a request to the channel");
                }
                position = 0;
                ended = current == END;
            }
            if (ended) {
                return -1;
            }
            int count = Math.min(length, current.length - position);
            System.arraycopy(current, position, into, offset, count);
            position += count;
            return count;
        }
    }
}
