package dev.magpie.sandbox.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The attached stdin of a command channel: requests queued by callers, each a stream read to its end in turn by the
 * engine client's copying thread, which flushes each read. Closing it ends the input, and the client half-closes
 * the connection.
 */
final class ChannelInput extends InputStream {

    private static final InputStream END = InputStream.nullInputStream();

    private final BlockingQueue<InputStream> queue = new LinkedBlockingQueue<>();
    private InputStream current = InputStream.nullInputStream();
    private boolean ended;

    void send(byte[] bytes) {
        send(new java.io.ByteArrayInputStream(bytes.clone()));
    }

    /** Queues a stream, which is read to its end and closed. */
    void send(InputStream bytes) {
        queue.add(bytes);
    }

    @Override
    public void close() {
        queue.add(END);
    }

    /** Ends the input at once, closing the stream being read and every one still queued. */
    private void endAll() {
        ended = true;
        closeQuietly(current);
        for (InputStream queued = queue.poll(); queued != null; queued = queue.poll()) {
            closeQuietly(queued);
        }
    }

    private static void closeQuietly(InputStream stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // nothing more to read from it either way
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        synchronized (this) {
            while (!ended) {
                int count;
                try {
                    count = current.read(into, offset, length);
                } catch (IOException | RuntimeException e) {
                    // A stdin that fails mid-way (a file that shrank, a stream that throws): end the input, so the
                    // channel sees end of file and ends, and the command in flight fails instead of waiting for ever.
                    endAll();
                    return -1;
                }
                if (count > 0) {
                    return count;
                }
                if (count < 0) {
                    current.close();
                    try {
                        current = queue.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("Interrupted while waiting for a request to the channel");
                    }
                    if (current == END) {
                        endAll();
                    }
                }
            }
            return -1;
        }
    }
}
