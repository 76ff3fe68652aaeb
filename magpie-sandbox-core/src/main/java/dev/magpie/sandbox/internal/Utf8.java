package dev.magpie.sandbox.internal;

/** Finds UTF-8 character boundaries, so that cut byte ranges decode without broken characters. */
final class Utf8 {

    private Utf8() {
    }

    /** The largest end {@code <= length} that does not split a multi-byte character. */
    static int lastBoundary(byte[] bytes, int length) {
        int i = length - 1;
        int continuation = 0;
        while (i >= 0 && continuation < 3 && isContinuation(bytes[i])) {
            i--;
            continuation++;
        }
        if (i < 0) {
            return length;
        }
        int needed = sequenceLength(bytes[i]);
        return needed > continuation + 1 ? i : length;
    }

    /** The index of the first byte that starts a character (skips leading continuation bytes, at most 3). */
    static int firstBoundary(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && i < 3 && isContinuation(bytes[i])) {
            i++;
        }
        return i;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    private static int sequenceLength(byte lead) {
        if ((lead & 0x80) == 0) {
            return 1;
        }
        if ((lead & 0xE0) == 0xC0) {
            return 2;
        }
        if ((lead & 0xF0) == 0xE0) {
            return 3;
        }
        return (lead & 0xF8) == 0xF0 ? 4 : 1;
    }
}
