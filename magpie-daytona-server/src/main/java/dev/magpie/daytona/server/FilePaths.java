package dev.magpie.daytona.server;

import dev.magpie.sandbox.internal.files.OutsideRootException;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How the file routes name files: a sandbox path (absolute, or relative to its working directory) becomes a path
 * relative to the sandbox's home, the only tree they serve; paths go back out as the sandbox's commands see them.
 * Also the replies the file routes share.
 */
final class FilePaths {

    private static final DateTimeFormatter GO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSSSS Z z");

    private FilePaths() {
    }

    /**
     * The path relative to the home ({@code ""} for the home), or empty when it is outside the sandbox.
     *
     * @throws Call.BadRequest when it holds a NUL
     */
    static Optional<String> relative(LocalSandbox sandbox, String raw) {
        Optional<Path> host = host(sandbox, raw);
        if (host.isEmpty() || !host.get().startsWith(sandbox.directory)) {
            return Optional.empty();
        }
        return Optional.of(sandbox.directory.relativize(host.get()).toString());
    }

    /**
     * The path on this machine of a sandbox path, or empty when it is outside the sandbox.
     *
     * @throws Call.BadRequest when it holds a NUL, which no file name can
     */
    static Optional<Path> host(LocalSandbox sandbox, String raw) {
        if (raw.indexOf('\0') >= 0) {
            throw new Call.BadRequest("invalid path: a path may not contain a NUL character, got "
                    + raw.replace("\0", "\\0"));
        }
        return sandbox.runtime.toHost(sandbox, raw);
    }

    /**
     * The query parameter's path relative to the home, or null after replying 400 (missing) or 403 (outside). Only
     * the home is served: not the sandbox's bookkeeping beside it, nor what a symlink planted in it leads to outside.
     */
    static String param(Call call, LocalSandbox sandbox, String name) throws IOException {
        return param(call, sandbox, name, call.params.get(name));
    }

    /** As {@link #param(Call, LocalSandbox, String)}, of a value the route already chose (its default, say). */
    static String param(Call call, LocalSandbox sandbox, String name, String raw) throws IOException {
        if (raw == null || raw.isBlank()) {
            call.toolboxError(400, "BAD_REQUEST", "the " + name + " parameter is required");
            return null;
        }
        Optional<String> relative = relative(sandbox, raw);
        if (relative.isEmpty()) {
            call.toolboxError(403, "FILE_ACCESS_DENIED", "path " + raw + " is outside the sandbox");
            return null;
        }
        return relative.get();
    }

    static void refuse(Call call, String path, OutsideRootException e) throws IOException {
        call.toolboxError(403, "FILE_ACCESS_DENIED", "path " + path + " is outside the sandbox: " + e.reason());
    }

    static void notFound(Call call, String path, String what) throws IOException {
        call.toolboxError(404, "FILE_NOT_FOUND", "no " + what + " at " + name(path));
    }

    /** A path relative to the home as the sandbox's commands see it. */
    static String shown(LocalSandbox sandbox, String relative) {
        return sandbox.runtime.toSandbox(sandbox, sandbox.directory.resolve(relative));
    }

    static String name(String relative) {
        return relative.substring(relative.lastIndexOf('/') + 1);
    }

    static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    /**
     * Permission bits from octal text ({@code 755} or {@code 0755}), as the daemon parses a mode.
     *
     * @throws Call.BadRequest when it is not octal, or asks for bits beyond the permission bits
     */
    static Set<PosixFilePermission> mode(String octal) {
        int bits;
        try {
            bits = Integer.parseInt(octal, 8);
        } catch (NumberFormatException e) {
            throw new Call.BadRequest("invalid mode format: expected octal permission bits such as 755, got '"
                    + octal + "'");
        }
        if (bits < 0 || bits > 0777) {
            throw new Call.BadRequest("mode " + octal + " sets bits beyond rwxrwxrwx (setuid, setgid, sticky), which "
                    + "this server does not set; pass at most 777");
        }
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : PosixFilePermission.values()) {
            if ((bits & (1 << (8 - p.ordinal()))) != 0) {
                out.add(p);
            }
        }
        return out;
    }

    /** The {@code FileInfo} definition of toolbox.json, of a path relative to the home. */
    static Map<String, Object> fileInfo(LocalSandbox sandbox, String relative, PosixFileAttributes attrs) {
        Path host = sandbox.directory.resolve(relative);
        Set<PosixFilePermission> perms = attrs.permissions();
        var modified = attrs.lastModifiedTime().toInstant();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", host.getFileName().toString());
        out.put("path", sandbox.runtime.toSandbox(sandbox, host));
        out.put("size", attrs.size());
        out.put("isDir", attrs.isDirectory());
        out.put("mode", (attrs.isDirectory() ? "d" : "-") + PosixFilePermissions.toString(perms));
        out.put("permissions", octal(perms));
        out.put("modTime", GO_TIME.format(modified.atZone(ZoneId.of("UTC"))));
        out.put("modifiedAt", modified.toString());
        out.put("owner", attrs.owner().getName());
        out.put("group", attrs.group().getName());
        return out;
    }

    private static String octal(Set<PosixFilePermission> perms) {
        int bits = 0;
        for (PosixFilePermission p : perms) {
            bits |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", bits);
    }
}
