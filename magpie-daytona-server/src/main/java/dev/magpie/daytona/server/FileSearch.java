package dev.magpie.daytona.server;

import dev.magpie.sandbox.internal.files.OutsideRootException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code find} (lines of text files that contain a string) and {@code search} (names that match a glob), walking
 * the tree as the daemon does: in name order, symlinks listed but never entered, unreadable directories skipped,
 * binary files (a NUL in the first 512 bytes) not searched. Paths come back as the request spelled the directory,
 * joined with the path below it.
 */
final class FileSearch {

    /** The daemon reads lines up to this length; a file with a longer line is searched up to it. */
    private static final int MAX_LINE = 64 * 1024;

    private FileSearch() {
    }

    private interface Visitor {
        void visit(String relative, String shown, PosixFileAttributes attributes) throws IOException;
    }

    static void find(Call call, LocalSandbox sandbox) throws IOException {
        String pattern = pattern(call);
        String root = pattern == null ? null : FilePaths.param(call, sandbox, "path");
        if (root == null) {
            return;
        }
        List<Map<String, Object>> matches = new ArrayList<>();
        byte[] needle = pattern.getBytes(StandardCharsets.UTF_8);
        if (walk(call, sandbox, root, (relative, shown, attributes) -> {
            if (attributes.isRegularFile()) {
                grep(sandbox, relative, shown, needle, matches);
            }
        })) {
            call.json(200, matches);
        }
    }

    static void search(Call call, LocalSandbox sandbox) throws IOException {
        String pattern = pattern(call);
        String root = pattern == null ? null : FilePaths.param(call, sandbox, "path");
        if (root == null) {
            return;
        }
        Optional<Pattern> glob = glob(pattern);
        List<String> files = new ArrayList<>();
        if (walk(call, sandbox, root, (relative, shown, attributes) -> {
            String name = Path.of(FilePaths.shown(sandbox, relative)).getFileName() + "";
            if (glob.isPresent() && glob.get().matcher(name).matches()) {
                files.add(shown);
            }
        })) {
            call.json(200, Map.of("files", files));
        }
    }

    private static String pattern(Call call) throws IOException {
        String pattern = call.params.getOrDefault("pattern", "");
        if (pattern.isEmpty()) {
            call.toolboxError(400, "BAD_REQUEST", "path and pattern are required");
            return null;
        }
        return pattern;
    }

    /** Visits the root and what is below it; false after replying 403 for a root that leads outside. */
    private static boolean walk(Call call, LocalSandbox sandbox, String root, Visitor visitor) throws IOException {
        PosixFileAttributes attributes;
        try {
            attributes = sandbox.files.attributes(root);
        } catch (OutsideRootException e) {
            FilePaths.refuse(call, root, e);
            return false;
        } catch (IOException e) {
            return true; // the daemon answers a missing directory with no matches
        }
        String given = call.params.get("path");
        visitor.visit(root, given, attributes);
        if (attributes.isDirectory()) {
            walk(sandbox, root, given, visitor);
        }
        return true;
    }

    private static void walk(LocalSandbox sandbox, String dir, String shown, Visitor visitor) throws IOException {
        Map<String, PosixFileAttributes> children;
        try {
            children = sandbox.files.listAttributes(dir);
        } catch (IOException e) {
            return; // unreadable, gone, or swapped for a link that leads outside: skipped, as the daemon skips it
        }
        for (Map.Entry<String, PosixFileAttributes> child : children.entrySet()) {
            String relative = FilePaths.join(dir, child.getKey());
            String childShown = Path.of(shown).resolve(child.getKey()).normalize().toString();
            visitor.visit(relative, childShown, child.getValue());
            if (child.getValue().isDirectory()) {
                walk(sandbox, relative, childShown, visitor);
            }
        }
    }

    private static void grep(LocalSandbox sandbox, String relative, String shown, byte[] needle,
                             List<Map<String, Object>> matches) {
        try (SeekableByteChannel channel = sandbox.files.openRead(relative)) {
            ByteBuffer head = ByteBuffer.allocate(512);
            while (head.hasRemaining() && channel.read(head) > 0) {
                // fill the head, or reach the end
            }
            for (int i = 0; i < head.position(); i++) {
                if (head.get(i) == 0) {
                    return;
                }
            }
            channel.position(0);
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel));
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int number = 1;
            for (int b = in.read(); b >= 0 || line.size() > 0; b = in.read()) {
                if (b >= 0 && b != '\n') {
                    line.write(b);
                    if (line.size() > MAX_LINE) {
                        return;
                    }
                    continue;
                }
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                if (contains(bytes, length, needle)) {
                    Map<String, Object> match = new LinkedHashMap<>();
                    match.put("file", shown);
                    match.put("line", number);
                    match.put("content", new String(bytes, 0, length, StandardCharsets.UTF_8));
                    matches.add(match);
                }
                line.reset();
                number++;
                if (b < 0) {
                    return;
                }
            }
        } catch (IOException e) {
            // unreadable, gone or swapped meanwhile: not searched, as the daemon skips a file it cannot open
        }
    }

    private static boolean contains(byte[] haystack, int length, byte[] needle) {
        outer:
        for (int i = 0; i <= length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * A name glob with the daemon's rules (Go's {@code filepath.Match}): {@code *}, {@code ?}, {@code [a-z]},
     * {@code [^a-z]}, {@code \} escaping; empty for a malformed pattern, which matches nothing there too.
     */
    static Optional<Pattern> glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else if (c == '\\') {
                if (++i == glob.length()) {
                    return Optional.empty();
                }
                regex.append(Pattern.quote(String.valueOf(glob.charAt(i))));
            } else if (c == '[') {
                int end = i + 1;
                StringBuilder set = new StringBuilder("[");
                if (end < glob.length() && glob.charAt(end) == '^') {
                    set.append('^');
                    end++;
                }
                int first = end;
                while (end < glob.length() && (glob.charAt(end) != ']' || end == first)) {
                    char s = glob.charAt(end);
                    if (s == '\\' && end + 1 < glob.length()) {
                        s = glob.charAt(++end);
                    }
                    set.append(s == '-' || Character.isLetterOrDigit(s) ? String.valueOf(s) : "\\" + s);
                    end++;
                }
                if (end >= glob.length() || end == first) {
                    return Optional.empty();
                }
                regex.append(set).append(']');
                i = end;
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        try {
            return Optional.of(Pattern.compile(regex.toString(), Pattern.DOTALL));
        } catch (java.util.regex.PatternSyntaxException e) {
            return Optional.empty();
        }
    }
}
