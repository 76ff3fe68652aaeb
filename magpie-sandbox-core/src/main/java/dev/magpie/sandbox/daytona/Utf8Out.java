package dev.magpie.sandbox.daytona;

/**
 * The UTF-8 bytes of a JSON string on their way to a sink, in pieces of at most 8 KiB: raw bytes pass as they are
 * (the reply is UTF-8 already), escapes arrive as code points, and a surrogate without its pair becomes U+FFFD.
 */
final class Utf8Out {

    private final LogStream.Sink sink;
    private final byte[] bytes = new byte[8192];
    private int size;

    Utf8Out(LogStream.Sink sink) {
        this.sink = sink;
    }

    void raw(int b) {
        if (size == bytes.length) {
            flush();
        }
        bytes[size++] = (byte) b;
    }

    /** Replaces a high surrogate that no low one followed; returns no pending surrogate. */
    int unpaired(int high) {
        if (high >= 0) {
            codePoint(0xFFFD);
        }
        return -1;
    }

    void codePoint(int cp) {
        if (size + 4 > bytes.length) {
            flush();
        }
        if (cp < 0x80) {
            bytes[size++] = (byte) cp;
        } else if (cp < 0x800) {
            bytes[size++] = (byte) (0xC0 | cp >> 6);
            bytes[size++] = (byte) (0x80 | cp & 0x3F);
        } else if (cp < 0x10000) {
            bytes[size++] = (byte) (0xE0 | cp >> 12);
            bytes[size++] = (byte) (0x80 | cp >> 6 & 0x3F);
            bytes[size++] = (byte) (0x80 | cp & 0x3F);
        } else {
            bytes[size++] = (byte) (0xF0 | cp >> 18);
            bytes[size++] = (byte) (0x80 | cp >> 12 & 0x3F);
            bytes[size++] = (byte) (0x80 | cp >> 6 & 0x3F);
            bytes[size++] = (byte) (0x80 | cp & 0x3F);
        }
    }

    void flush() {
        if (size > 0) {
            sink.write(bytes, 0, size);
            size = 0;
        }
    }
}
