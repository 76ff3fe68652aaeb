package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A download streams from the file, in a server whose heap is smaller than the file, and fails loudly. */
class DownloadsTest {

    private static final long SIZE = 200L << 20;

    @TempDir
    Path root;

    @Test
    void downloadsAFileLargerThanTheHeap() throws Exception {
        try (ForkedServer server = ForkedServer.start("64m", root)) {
            ServerCallsForked calls = new ServerCallsForked(server);
            String id = calls.startedSandbox();
            sparseFile(calls, id, SIZE);

            HttpResponse<InputStream> reply = download(calls, id);

            assertThat(reply.statusCode()).isEqualTo(200);
            assertThat(reply.headers().firstValueAsLong("Content-Length")).hasValue(SIZE);
            try (InputStream body = reply.body()) {
                assertThat(count(body)).isEqualTo(SIZE);
            }
        }
    }

    @Test
    void aFileThatShrinksWhileSentFailsTheDownload() throws Exception {
        try (ForkedServer server = ForkedServer.start("64m", root)) {
            ServerCallsForked calls = new ServerCallsForked(server);
            String id = calls.startedSandbox();
            Path file = sparseFile(calls, id, SIZE);
            HttpResponse<InputStream> reply = download(calls, id);
            InputStream body = reply.body();
            assertThat(body.readNBytes(1 << 20)).hasSize(1 << 20);

            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(2 << 20);
            }

            assertThatThrownBy(() -> count(body)).isInstanceOf(IOException.class);
        }
    }

    private static HttpResponse<InputStream> download(ServerCallsForked calls, String id) throws Exception {
        return ServerCalls.HTTP.send(calls.request("GET", "/toolbox/" + id + "/files/download?path=big.bin", null)
                .build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private Path sparseFile(ServerCallsForked calls, String id, long size) throws Exception {
        Path file = root.resolve(id).resolve("home").resolve("big.bin"); // the sandbox's directory under --root
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
        }
        return file;
    }

    private static long count(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            total += n;
        }
        return total;
    }
}
