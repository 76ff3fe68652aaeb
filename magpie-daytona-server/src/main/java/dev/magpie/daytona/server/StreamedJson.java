package dev.magpie.daytona.server;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A JSON object reply whose long text fields are read from files as they are sent, so command output of any
 * size passes through a bounded buffer. Observers get the same object with each file's text cut to a preview.
 */
final class StreamedJson {

    /** The text of the first {@code length} bytes of a file, as UTF-8. */
    record FileText(Path file, long length) {
    }

    /** How much of each file's text observers see. */
    private static final int PREVIEW_BYTES = 64 * 1024;

    private StreamedJson() {
    }

    /** Replies with the object, its {@link FileText} values streamed. */
    static void reply(Call call, int code, Map<String, Object> fields) throws IOException {
        call.stream(code, "application/json", -1, out -> write(out, fields, Long.MAX_VALUE), preview(fields));
    }

    private static byte[] preview(Map<String, Object> fields) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        write(out, fields, PREVIEW_BYTES);
        return out.toByteArray();
    }

    private static void write(OutputStream out, Map<String, Object> fields, long maxFileBytes) throws IOException {
        try (JsonGenerator json = Call.JSON.getFactory().createGenerator(out)) {
            json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            json.writeStartObject();
            for (Map.Entry<String, Object> field : fields.entrySet()) {
                json.writeFieldName(field.getKey());
                if (field.getValue() instanceof FileText text) {
                    try (Reader reader = new WholeCharacters(new InputStreamReader(
                            limited(text.file(), Math.min(text.length(), maxFileBytes)), StandardCharsets.UTF_8))) {
                        json.writeString(reader, -1);
                    }
                } else {
                    Call.JSON.writeValue(json, field.getValue());
                }
            }
            json.writeEndObject();
        }
    }

    private static InputStream limited(Path file, long length) throws IOException {
        InputStream in = Files.newInputStream(file);
        return new java.io.FilterInputStream(in) {
            private long left = length;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = in.read();
                left -= b < 0 ? 0 : 1;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, left));
                left -= Math.max(n, 0);
                return n;
            }
        };
    }

    /**
     * Never ends a read between the two halves of a surrogate pair: the generator writes each read as a whole
     * and refuses half a pair.
     */
    private static final class WholeCharacters extends Reader {
        private final Reader in;
        private int held = -1;

        WholeCharacters(Reader in) {
            this.in = in;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            if (length < 2) {
                throw new IllegalArgumentException("read at least two characters at a time");
            }
            int at = offset;
            if (held >= 0) {
                buffer[at++] = (char) held;
                held = -1;
            }
            int n = in.read(buffer, at, length - (at - offset));
            if (n < 0) {
                return at == offset ? -1 : at - offset;
            }
            int end = at + n;
            if (Character.isHighSurrogate(buffer[end - 1])) {
                if (end - offset > 1) {
                    held = buffer[--end];
                } else {
                    int low = in.read();
                    if (low >= 0) {
                        buffer[end++] = (char) low;
                    }
                }
            }
            return end - offset;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
