package dev.magpie.sandbox.daytona;

import dev.magpie.sandbox.WorkspaceException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a session command's logs reply as it arrives and hands the bytes of stdout, stderr and the merged output
 * to sinks, holding none of them whole: the JSON shape ({@code {"output","stdout","stderr"}}, other fields
 * skipped) or the marked text of older daemons, where each chunk starts with {@code \x01\x01\x01} (stdout) or
 * {@code \x02\x02\x02} (stderr).
 */
final class LogStream {

    /** Takes the bytes of one stream, in pieces. */
    interface Sink {
        Sink NONE = (bytes, offset, length) -> { };

        void write(byte[] bytes, int offset, int length);
    }

    private static final int BUFFER = 8192;

    private final InputStream in;
    private final byte[] buffer = new byte[BUFFER];
    private int at;
    private int end;
    private int pushedBack = -1;
    /** The text of a top-level {@code exitCode} field, when the object had one. */
    private String exitCode;

    private LogStream(InputStream in) {
        this.in = in;
    }

    /** Reads a reply of this content type into the sinks. */
    static void read(String contentType, InputStream in, Sink stdout, Sink stderr, Sink output) throws IOException {
        if (contentType != null && contentType.contains("json")) {
            new LogStream(in).object(stdout, stderr, output);
        } else {
            new LogStream(in).marked(stdout, stderr, output);
        }
    }

    /**
     * Reads a synchronous session command's reply ({@code {"cmdId","exitCode","stdout","stderr",...}}) into the
     * sinks; returns its exit code, or empty when the reply had none.
     */
    static java.util.Optional<Integer> readResult(InputStream in, Sink stdout, Sink stderr) throws IOException {
        LogStream stream = new LogStream(in);
        stream.object(stdout, stderr, Sink.NONE);
        try {
            return stream.exitCode == null || stream.exitCode.equals("null") ? java.util.Optional.empty()
                    : java.util.Optional.of(Integer.parseInt(stream.exitCode));
        } catch (NumberFormatException e) {
            expect(false, "an integer exitCode");
            return java.util.Optional.empty();
        }
    }

    /** The whole logs of a reply, for callers that want them as text. */
    static DaytonaToolbox.Logs collect(String contentType, InputStream in) throws IOException {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        read(contentType, in, stdout::write, stderr::write, output::write);
        return new DaytonaToolbox.Logs(stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8),
                output.toString(StandardCharsets.UTF_8));
    }

    private int next() throws IOException {
        if (pushedBack >= 0) {
            int c = pushedBack;
            pushedBack = -1;
            return c;
        }
        if (at == end) {
            end = in.read(buffer);
            at = 0;
            if (end <= 0) {
                end = 0;
                return -1;
            }
        }
        return buffer[at++] & 0xff;
    }

    private int nonSpace() throws IOException {
        int c;
        do {
            c = next();
        } while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
        return c;
    }

    private void object(Sink stdout, Sink stderr, Sink output) throws IOException {
        expect(nonSpace() == '{', "an object");
        int c = nonSpace();
        while (c != '}') {
            expect(c == '"', "a field name");
            ByteArrayOutputStream name = new ByteArrayOutputStream();
            string((bytes, offset, length) -> name.write(bytes, offset, Math.max(0, Math.min(length, 256 - name.size()))));
            expect(nonSpace() == ':', "a colon");
            Sink sink = switch (name.toString(StandardCharsets.UTF_8)) {
                case "stdout" -> stdout;
                case "stderr" -> stderr;
                case "output" -> output;
                default -> Sink.NONE;
            };
            boolean exit = name.toString(StandardCharsets.UTF_8).equals("exitCode");
            c = nonSpace();
            if (c == '"') {
                string(sink);
            } else {
                StringBuilder value = exit ? new StringBuilder() : null;
                skipValue(c, value);
                if (exit) {
                    exitCode = value.toString();
                }
            }
            c = nonSpace();
            if (c == ',') {
                c = nonSpace();
            } else {
                expect(c == '}', "a comma or the end of the object");
            }
        }
    }

    /** Decodes a string whose opening quote was read, writing its UTF-8 bytes to the sink. */
    private void string(Sink sink) throws IOException {
        Utf8Out out = new Utf8Out(sink);
        int high = -1;
        while (true) {
            int c = next();
            expect(c >= 0, "the end of a string");
            if (c == '"') {
                break;
            }
            if (c != '\\') {
                high = out.unpaired(high);
                out.raw(c);
                continue;
            }
            int e = next();
            if (e == 'u') {
                int unit = hex4();
                if (high >= 0 && Character.isLowSurrogate((char) unit)) {
                    out.codePoint(Character.toCodePoint((char) high, (char) unit));
                    high = -1;
                } else {
                    high = out.unpaired(high);
                    if (Character.isHighSurrogate((char) unit)) {
                        high = unit;
                    } else {
                        out.codePoint(Character.isLowSurrogate((char) unit) ? 0xFFFD : unit);
                    }
                }
                continue;
            }
            high = out.unpaired(high);
            switch (e) {
                case 'n' -> out.raw('\n');
                case 't' -> out.raw('\t');
                case 'r' -> out.raw('\r');
                case 'b' -> out.raw('\b');
                case 'f' -> out.raw('\f');
                case '"', '\\', '/' -> out.raw(e);
                default -> expect(false, "a valid escape");
            }
        }
        out.unpaired(high);
        out.flush();
    }

    private int hex4() throws IOException {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(next(), 16);
            expect(digit >= 0, "four hex digits");
            value = value * 16 + digit;
        }
        return value;
    }

    /** Skips a value that is not a string (a number, a literal, or a nested object or array), keeping a scalar's text. */
    private void skipValue(int first, StringBuilder scalar) throws IOException {
        if (first != '{' && first != '[') {
            int c = first;
            while (c >= 0 && c != ',' && c != '}' && c != ']' && c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                if (scalar != null && scalar.length() < 32) {
                    scalar.append((char) c);
                }
                c = next();
            }
            pushedBack = c;
            return;
        }
        int depth = 1;
        while (depth > 0) {
            int c = next();
            expect(c >= 0, "the end of a nested value");
            if (c == '"') {
                string(Sink.NONE);
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
    }

    private void marked(Sink stdout, Sink stderr, Sink output) throws IOException {
        Sink current = stdout;
        int run = 0;
        int runByte = 0;
        byte[] data = new byte[BUFFER];
        int size = 0;
        for (int c = next(); c >= 0; c = next()) {
            if ((c == 1 || c == 2) && (run == 0 || c == runByte)) {
                runByte = c;
                if (++run == 3) {
                    emit(current, output, data, size);
                    size = 0;
                    current = c == 1 ? stdout : stderr;
                    run = 0;
                }
                continue;
            }
            // a marker byte that did not make a marker is output
            for (; run > 0; run--) {
                if (size == data.length) {
                    emit(current, output, data, size);
                    size = 0;
                }
                data[size++] = (byte) runByte;
            }
            if (c == 1 || c == 2) {
                runByte = c;
                run = 1;
                continue;
            }
            if (size == data.length) {
                emit(current, output, data, size);
                size = 0;
            }
            data[size++] = (byte) c;
        }
        for (; run > 0; run--) {
            if (size == data.length) {
                emit(current, output, data, size);
                size = 0;
            }
            data[size++] = (byte) runByte;
        }
        emit(current, output, data, size);
    }

    private static void emit(Sink current, Sink output, byte[] data, int size) {
        if (size > 0) {
            current.write(data, 0, size);
            output.write(data, 0, size);
        }
    }

    private static void expect(boolean condition, String what) {
        if (!condition) {
            throw new WorkspaceException("Daytona sent session logs that are not the JSON expected: wanted " + what
                    + ". Check that the toolbox speaks the published API.");
        }
    }
}
