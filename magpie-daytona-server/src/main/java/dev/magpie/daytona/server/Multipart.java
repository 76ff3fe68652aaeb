package dev.magpie.daytona.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A small multipart/form-data reader: part name to its bytes (views of the body, not copies), in order. */
final class Multipart {

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
    private static final Pattern NAME = Pattern.compile("(?i)content-disposition:[^\\r\\n]*?\\bname=\"([^\"]*)\"");

    private Multipart() {
    }

    static Map<String, ByteBuffer> parse(String contentType, ByteBuffer body) {
        Matcher m = contentType == null ? null : BOUNDARY.matcher(contentType);
        if (m == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")
                || !m.find()) {
            throw new Call.BadRequest("Expected a multipart/form-data body with a boundary, got Content-Type "
                    + contentType);
        }
        byte[] delimiter = ("--" + m.group(1)).getBytes(StandardCharsets.ISO_8859_1);
        Map<String, ByteBuffer> parts = new LinkedHashMap<>();
        int length = body.limit();
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int start = at + delimiter.length;
            if (start + 1 < length && body.get(start) == '-' && body.get(start + 1) == '-') {
                break;
            }
            start += 2;
            int headerEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
            int next = indexOf(body, delimiter, start);
            if (headerEnd < 0 || next < 0 || headerEnd > next) {
                throw new Call.BadRequest("Malformed multipart body");
            }
            String headers = StandardCharsets.UTF_8.decode(body.slice(start, headerEnd - start)).toString();
            Matcher name = NAME.matcher(headers);
            if (name.find()) {
                int contentEnd = next - 2;
                int from = headerEnd + 4;
                parts.put(name.group(1), body.slice(from, Math.max(0, contentEnd - from)));
            }
            at = next;
        }
        return parts;
    }

    private static int indexOf(ByteBuffer haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.limit() - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack.get(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
