package dev.magpie.daytona.server;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A small multipart/form-data reader: part name to bytes, in order. */
final class Multipart {

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
    private static final Pattern NAME = Pattern.compile("(?i)content-disposition:[^\\r\\n]*?\\bname=\"([^\"]*)\"");

    private Multipart() {
    }

    static Map<String, byte[]> parse(String contentType, byte[] body) {
        Matcher m = contentType == null ? null : BOUNDARY.matcher(contentType);
        if (m == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")
                || !m.find()) {
            throw new Call.BadRequest("Expected a multipart/form-data body with a boundary, got Content-Type "
                    + contentType);
        }
        byte[] delimiter = ("--" + m.group(1)).getBytes(StandardCharsets.ISO_8859_1);
        Map<String, byte[]> parts = new LinkedHashMap<>();
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int start = at + delimiter.length;
            if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
                break;
            }
            start += 2;
            int headerEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
            int next = indexOf(body, delimiter, start);
            if (headerEnd < 0 || next < 0 || headerEnd > next) {
                throw new Call.BadRequest("Malformed multipart body");
            }
            String headers = new String(body, start, headerEnd - start, StandardCharsets.UTF_8);
            Matcher name = NAME.matcher(headers);
            if (name.find()) {
                int contentEnd = next - 2;
                byte[] content = java.util.Arrays.copyOfRange(body, headerEnd + 4, Math.max(headerEnd + 4, contentEnd));
                parts.put(name.group(1), content);
            }
            at = next;
        }
        return parts;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
