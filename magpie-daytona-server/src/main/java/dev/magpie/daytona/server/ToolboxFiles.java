package dev.magpie.daytona.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** The toolbox's file routes: list, info, download, bulk upload, folder, delete. */
final class ToolboxFiles {

    private static final DateTimeFormatter GO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSSSS Z z");

    void handle(Call call, LocalSandbox sandbox, String route) throws IOException {
        String key = call.method + " " + route;
        switch (key) {
            case "GET /files": list(call, sandbox); break;
            case "DELETE /files": delete(call, sandbox); break;
            case "GET /files/info": info(call, sandbox); break;
            case "GET /files/download": download(call, sandbox); break;
            case "POST /files/bulk-upload": upload(call, sandbox); break;
            case "POST /files/folder": folder(call, sandbox); break;
            default: call.toolboxError(404, "NOT_FOUND", "No toolbox route " + key);
        }
    }

    private void list(Call call, LocalSandbox sandbox) throws IOException {
        Path dir = path(call, sandbox, call.params.getOrDefault("path", "."));
        if (dir == null) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            notFound(call, dir, "directory");
            return;
        }
        List<Map<String, Object>> entries = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : children.sorted(Comparator.comparing(Path::toString)).toList()) {
                entries.add(fileInfo(sandbox, child));
            }
        }
        call.json(200, entries);
    }

    private void info(Call call, LocalSandbox sandbox) throws IOException {
        Path file = path(call, sandbox, call.params.get("path"));
        if (file != null) {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                call.json(200, fileInfo(sandbox, file));
            } else {
                notFound(call, file, "file");
            }
        }
    }

    private void download(Call call, LocalSandbox sandbox) throws IOException {
        Path file = path(call, sandbox, call.params.get("path"));
        if (file == null) {
            return;
        }
        if (!Files.isRegularFile(file)) {
            notFound(call, file, "file");
            return;
        }
        call.header("Content-Disposition", "attachment; filename=\"" + file.getFileName() + "\"");
        try (InputStream in = Files.newInputStream(file)) {
            long size = Files.size(file);
            call.stream(200, "application/octet-stream", size, out -> ReplyStream.copy(in, out, size), new byte[0]);
        }
    }

    private void upload(Call call, LocalSandbox sandbox) throws IOException {
        // on disk, mapped: an upload never has to fit in the heap
        Path spooled = call.spoolBody(sandbox.directory.getParent());
        try (FileChannel channel = FileChannel.open(spooled, StandardOpenOption.READ)) {
            if (channel.size() > Integer.MAX_VALUE) {
                call.toolboxError(413, "REQUEST_TOO_LARGE", "an upload is at most " + Integer.MAX_VALUE + " bytes");
                return;
            }
            upload(call, sandbox, Multipart.parse(call.header("Content-Type"),
                    channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size())));
        } finally {
            Files.deleteIfExists(spooled);
        }
    }

    private void upload(Call call, LocalSandbox sandbox, Map<String, ByteBuffer> parts) throws IOException {
        Map<String, String> paths = new LinkedHashMap<>();
        Map<String, ByteBuffer> contents = new LinkedHashMap<>();
        parts.forEach((name, value) -> {
            if (name.matches("files\\[\\d+]\\.path")) {
                paths.put(name.substring(0, name.length() - ".path".length()),
                        java.nio.charset.StandardCharsets.UTF_8.decode(value).toString());
            } else if (name.matches("files\\[\\d+]\\.file")) {
                contents.put(name.substring(0, name.length() - ".file".length()), value);
            }
        });
        if (paths.isEmpty() || !paths.keySet().equals(contents.keySet())) {
            call.toolboxError(400, "BAD_REQUEST", "expected parts files[i].path and files[i].file for each file");
            return;
        }
        for (Map.Entry<String, String> entry : paths.entrySet()) {
            Path target = path(call, sandbox, entry.getValue());
            if (target == null) {
                return;
            }
            try {
                write(target, contents.get(entry.getKey()));
            } catch (FileSystemException e) {
                // a file where a directory is needed, a directory where the file goes: the request's fault
                call.toolboxError(400, "BAD_REQUEST", "cannot write " + entry.getValue() + ": "
                        + e.getClass().getSimpleName() + (e.getReason() == null ? "" : " (" + e.getReason() + ")"));
                return;
            }
        }
        call.empty(200);
    }

    private void folder(Call call, LocalSandbox sandbox) throws IOException {
        Path dir = path(call, sandbox, call.params.get("path"));
        if (dir != null) {
            Files.createDirectories(dir);
            call.empty(201);
        }
    }

    private void delete(Call call, LocalSandbox sandbox) throws IOException {
        Path target = path(call, sandbox, call.params.get("path"));
        if (target == null) {
            return;
        }
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            notFound(call, target, "file");
            return;
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)
                && Boolean.parseBoolean(call.params.getOrDefault("recursive", "false"))) {
            Sandboxes.deleteTree(target);
        } else {
            try {
                Files.delete(target);
            } catch (DirectoryNotEmptyException e) {
                call.toolboxError(400, "BAD_REQUEST", "directory " + target + " is not empty; pass recursive=true");
                return;
            }
        }
        call.empty(204);
    }

    /** Writes through a temporary file and a rename, so a reader never sees half a file. */
    private static void write(Path target, ByteBuffer content) throws IOException {
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), ".upload-", ".tmp");
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                while (content.hasRemaining()) {
                    out.write(content);
                }
            }
            // a temporary file is private; an uploaded one gets the usual rw-r--r--
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The path inside the sandbox, or null after replying 400/403. */
    private static Path path(Call call, LocalSandbox sandbox, String raw) throws IOException {
        if (raw == null || raw.isBlank()) {
            call.toolboxError(400, "BAD_REQUEST", "the path query parameter is required");
            return null;
        }
        java.util.Optional<Path> resolved = sandbox.runtime.toHost(sandbox, raw);
        if (resolved.isEmpty()) {
            call.toolboxError(403, "FILE_ACCESS_DENIED", "path " + raw + " is outside the sandbox");
            return null;
        }
        return resolved.get();
    }

    private static void notFound(Call call, Path path, String what) throws IOException {
        call.toolboxError(404, "FILE_NOT_FOUND", "no " + what + " at " + path.getFileName());
    }

    /** The {@code FileInfo} definition of toolbox.json. */
    private static Map<String, Object> fileInfo(LocalSandbox sandbox, Path path) throws IOException {
        PosixFileAttributes attrs = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Set<PosixFilePermission> perms = attrs.permissions();
        var modified = attrs.lastModifiedTime().toInstant();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", path.getFileName().toString());
        out.put("path", sandbox.runtime.toSandbox(sandbox, path));
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
