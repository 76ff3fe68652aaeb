package dev.magpie.daytona.server;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The reply stream of a streamed body. Aborted, it refuses to close: the JDK server then closes the connection
 * instead of ending the body as if it were complete (a chunked body would get its last chunk).
 */
final class ReplyStream extends FilterOutputStream {

    private boolean aborted;

    ReplyStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    void abort() {
        aborted = true;
    }

    @Override
    public void close() throws IOException {
        if (aborted) {
            throw new IOException("the reply was aborted");
        }
        super.close();
    }

    /** Copies exactly {@code length} bytes; a source that ends sooner (a file that shrank) is an error. */
    static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("the source ended at " + (length - left) + " of " + length + " bytes");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }
}
