package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.PathOutsideWorkspaceException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Lexical path rules shared by every provider: a path is resolved against the working directory and must stay
 * inside it. Providers that can see symlinks check those on top of this.
 */
public final class PathRules {

    private PathRules() {
    }

    /**
     * The absolute, normalized POSIX path that {@code path} names inside {@code workingDir}.
     *
     * @throws PathOutsideWorkspaceException when the path is empty of meaning, holds a NUL byte, or leaves the
     *     working directory
     */
    public static String resolve(String workingDir, String path) {
        if (path == null) {
            throw new NullPointerException("path");
        }
        if (path.indexOf('\0') >= 0) {
            throw new PathOutsideWorkspaceException(path, workingDir, "it contains a NUL byte");
        }
        String root = normalize(workingDir);
        String joined = path.startsWith("/") ? path : root + "/" + path;
        Deque<String> parts = new ArrayDeque<>();
        for (String part : joined.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw new PathOutsideWorkspaceException(path, workingDir, "it climbs above the filesystem root");
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        String resolved = "/" + String.join("/", parts);
        if (!isWithin(root, resolved)) {
            throw new PathOutsideWorkspaceException(path, workingDir, "it resolves to " + resolved);
        }
        return resolved;
    }

    /** Whether {@code candidate} is {@code root} or below it; both absolute and normalized. */
    public static boolean isWithin(String root, String candidate) {
        return root.equals("/") || candidate.equals(root) || candidate.startsWith(root + "/");
    }

    private static String normalize(String dir) {
        String d = dir.replaceAll("/+", "/");
        return d.length() > 1 && d.endsWith("/") ? d.substring(0, d.length() - 1) : d;
    }
}
