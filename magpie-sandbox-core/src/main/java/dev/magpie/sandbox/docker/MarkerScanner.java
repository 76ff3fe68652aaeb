package dev.magpie.sandbox.docker;

import java.util.Arrays;

/**
 * Finds a marker in a stream that arrives in pieces, handing every byte before it on as soon as it cannot be the
 * start of the marker: a line that ends a piece reaches a live listener at once, not when more output comes.
 */
final class MarkerScanner {

    /** Receives the bytes before the marker. */
    interface Sink {
        void accept(byte[] bytes, int offset, int length);
    }

    private final byte[] marker;
    private byte[] held = new byte[0];
    private boolean found;

    MarkerScanner(byte[] marker) {
        this.marker = marker.clone();
    }

    boolean found() {
        return found;
    }

    /**
     * Scans the next piece; returns {@code null} while the marker has not been seen, else the bytes that followed
     * it in this piece (possibly none). Nothing may be fed once the marker was found.
     */
    byte[] feed(byte[] bytes, int offset, int length, Sink sink) {
        byte[] buffer = new byte[held.length + length];
        System.arraycopy(held, 0, buffer, 0, held.length);
        System.arraycopy(bytes, offset, buffer, held.length, length);
        int at = indexOf(buffer);
        if (at >= 0) {
            found = true;
            held = new byte[0];
            if (at > 0) {
                sink.accept(buffer, 0, at);
            }
            return Arrays.copyOfRange(buffer, at + marker.length, buffer.length);
        }
        int keep = partialMarkerAtEnd(buffer);
        if (buffer.length - keep > 0) {
            sink.accept(buffer, 0, buffer.length - keep);
        }
        held = Arrays.copyOfRange(buffer, buffer.length - keep, buffer.length);
        return null;
    }

    private int indexOf(byte[] buffer) {
        outer:
        for (int i = 0; i + marker.length <= buffer.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (buffer[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The length of the longest end of {@code buffer} that begins the marker (shorter than the marker). */
    private int partialMarkerAtEnd(byte[] buffer) {
        for (int k = Math.min(marker.length - 1, buffer.length); k > 0; k--) {
            if (Arrays.equals(buffer, buffer.length - k, buffer.length, marker, 0, k)) {
                return k;
            }
        }
        return 0;
    }
}
