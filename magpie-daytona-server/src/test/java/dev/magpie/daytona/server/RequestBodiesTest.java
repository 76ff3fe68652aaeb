package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request bodies never reach the heap whole: credentials are checked before a body is read, JSON bodies have a
 * ceiling, and uploads go to disk. The server runs in a JVM with a 64 MiB heap.
 */
class RequestBodiesTest {

    private static final long HUGE = 1L << 30;

    @TempDir
    Path root;

    @Test
    void refusesAnUnauthenticatedHugeBodyWithoutReadingIt() throws Exception {
        try (ForkedServer server = ForkedServer.start("64m", root)) {
            assertThat(statusLineAfterSending(server.port, "POST /api/sandbox", "wrong-key", HUGE))
                    .startsWith("HTTP/1.1 401");
            assertThat(statusLineAfterSending(server.port, "POST /toolbox/x/files/bulk-upload", "wrong-key", HUGE))
                    .startsWith("HTTP/1.1 401");
        }
    }

    @Test
    void refusesAJsonBodyOverTheCeilingWith413() throws Exception {
        try (ForkedServer server = ForkedServer.start("64m", root)) {
            assertThat(statusLineAfterSending(server.port, "POST /api/sandbox", ForkedServer.KEY, HUGE))
                    .startsWith("HTTP/1.1 413");
        }
    }

    @Test
    void uploadsAFileLargerThanTheHeap() throws Exception {
        try (ForkedServer server = ForkedServer.start("64m", root)) {
            ServerCallsForked calls = new ServerCallsForked(server);
            String id = calls.startedSandbox();
            String boundary = UUID.randomUUID().toString();
            long size = 200L << 20;
            byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files[0].path\"\r\n\r\nbig.bin\r\n"
                    + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"files[0].file\"; filename=\"big.bin\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
            HttpRequest upload = HttpRequest.newBuilder(URI.create(server.baseUrl.replace("/api", "/toolbox/") + id
                    + "/files/bulk-upload")).header("Authorization", "Bearer " + ForkedServer.KEY)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                            () -> new java.io.SequenceInputStream(java.util.Collections.enumeration(java.util.List.of(
                                    new java.io.ByteArrayInputStream(head), new Zeros(size),
                                    new java.io.ByteArrayInputStream(tail))))),
                            head.length + size + tail.length))
                    .build();

            HttpResponse<String> reply = ServerCalls.HTTP.send(upload, HttpResponse.BodyHandlers.ofString());

            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
            try (var homes = Files.find(root, 3, (p, a) -> p.getFileName().toString().equals("big.bin"))) {
                assertThat(homes.map(p -> p.toFile().length()).toList()).containsExactly(size);
            }
        }
    }

    /** Sends the request line and headers announcing the length, then body bytes until the server stops reading. */
    static String statusLineAfterSending(int port, String requestLine, String key, long length) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write((requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Thread writer = new Thread(() -> {
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) ' ');
                try {
                    for (long sent = 0; sent < length; sent += chunk.length) {
                        out.write(chunk, 0, (int) Math.min(chunk.length, length - sent));
                    }
                } catch (IOException e) {
                    // the server closed the connection: it stopped reading
                }
            }, "body-writer");
            writer.setDaemon(true);
            writer.start();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                line.append((char) b);
            }
            return line.toString().isEmpty() ? "<connection closed without a reply>" : line.toString().trim();
        }
    }

    /** A stream of zero bytes of a given length. */
    static final class Zeros extends InputStream {
        private long left;

        Zeros(long length) {
            this.left = length;
        }

        @Override
        public int read() {
            return left-- > 0 ? 0 : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            left -= n;
            return n;
        }
    }
}
