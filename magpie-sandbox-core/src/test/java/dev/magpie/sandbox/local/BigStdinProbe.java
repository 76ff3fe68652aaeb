package dev.magpie.sandbox.local;

import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Run in a JVM with a small heap by {@link BigStdinTest}: feeds 30 MiB of stdin to a command as bytes and from a
 * file, and 256 MiB from a stream made as it is read.
 */
public final class BigStdinProbe {

    static final int MIB = 1024 * 1024;

    private BigStdinProbe() {
    }

    public static void main(String[] args) throws IOException {
        try (LocalWorkspace workspace = LocalWorkspace.temporary(Map.of())) {
            byte[] bytes = new byte[30 * MIB];
            ExecResult fromBytes = workspace.exec(ExecRequest.builder("wc", "-c").stdin(bytes).build());
            bytes = null;
            Path file = workspace.directory().resolve("input.bin");
            try (OutputStream out = Files.newOutputStream(file)) {
                for (int i = 0; i < 30; i++) {
                    out.write(new byte[MIB]);
                }
            }
            ExecResult fromFile = workspace.exec(ExecRequest.builder("wc", "-c").stdin(file).build());
            ExecResult fromStream = workspace.exec(ExecRequest.builder("wc", "-c")
                    .stdin(() -> new Zeros(256L * MIB)).build());
            System.out.println("bytes=" + fromBytes.stdout().strip() + " file=" + fromFile.stdout().strip()
                    + " stream=" + fromStream.stdout().strip());
        }
    }

    /** So many zero bytes, made as they are read. */
    private static final class Zeros extends InputStream {
        private long left;

        Zeros(long count) {
            this.left = count;
        }

        @Override
        public int read() {
            return left-- > 0 ? 0 : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(length, left);
            java.util.Arrays.fill(buffer, offset, offset + n, (byte) 0);
            left -= n;
            return n;
        }
    }
}
