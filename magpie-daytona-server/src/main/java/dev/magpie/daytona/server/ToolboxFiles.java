package dev.magpie.daytona.server;

import dev.magpie.sandbox.internal.files.OutsideRootException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The toolbox's file routes: list, info, download, bulk upload, folder, delete. They serve the sandbox's home only,
 * through its {@link LocalSandbox#files}: a symlink planted by a sandbox process is followed only where it leads
 * inside the home, never to another sandbox or outside the server's root.
 */
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
        String dir = path(call, sandbox, call.params.getOrDefault("path", "."));
        if (dir == null) {
            return;
        }
        Map<String, PosixFileAttributes> children;
        try {
            children = sandbox.files.listAttributes(dir);
        } catch (NoSuchFileException | NotDirectoryException e) {
            notFound(call, dir, "directory");
            return;
        } catch (OutsideRootException e) {
            refuse(call, dir, e);
            return;
        }
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Map.Entry<String, PosixFileAttributes> child : children.entrySet()) {
            entries.add(fileInfo(sandbox, join(dir, child.getKey()), child.getValue()));
        }
        call.json(200, entries);
    }

    private void info(Call call, LocalSandbox sandbox) throws IOException {
        String file = path(call, sandbox, call.params.get("path"));
        if (file == null) {
            return;
        }
        try {
            call.json(200, fileInfo(sandbox, file, sandbox.files.attributes(file)));
        } catch (NoSuchFileException | NotDirectoryException e) {
            notFound(call, file, "file");
        } catch (OutsideRootException e) {
            refuse(call, file, e);
        }
    }

    private void download(Call call, LocalSandbox sandbox) throws IOException {
        String file = path(call, sandbox, call.params.get("path"));
        if (file == null) {
            return;
        }
        SeekableByteChannel channel;
        try {
            if (!sandbox.files.attributes(file).isRegularFile()) {
                notFound(call, file, "file");
                return;
            }
            channel = sandbox.files.openRead(file);
        } catch (NoSuchFileException | NotDirectoryException e) {
            notFound(call, file, "file");
            return;
        } catch (OutsideRootException e) {
            refuse(call, file, e);
            return;
        }
        call.header("Content-Disposition", "attachment; filename=\"" + name(file) + "\"");
        try (InputStream in = Channels.newInputStream(channel)) {
            long size = channel.size();
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
            String target = path(call, sandbox, entry.getValue());
            if (target == null) {
                return;
            }
            try {
                // through a temporary file and a rename, so a reader never sees half a file
                sandbox.files.write(target, contents.get(entry.getKey()));
            } catch (OutsideRootException e) {
                refuse(call, target, e);
                return;
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
        String dir = path(call, sandbox, call.params.get("path"));
        if (dir == null) {
            return;
        }
        try {
            sandbox.files.createDirectories(dir);
            call.empty(201);
        } catch (OutsideRootException e) {
            refuse(call, dir, e);
        }
    }

    private void delete(Call call, LocalSandbox sandbox) throws IOException {
        String target = path(call, sandbox, call.params.get("path"));
        if (target == null) {
            return;
        }
        try {
            if (Boolean.parseBoolean(call.params.getOrDefault("recursive", "false"))) {
                List<String> left = sandbox.files.deleteTree(target);
                if (!left.isEmpty()) {
                    throw new IOException("Could not delete " + left.size() + " path(s): " + String.join("; ", left));
                }
            } else {
                sandbox.files.delete(target);
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            notFound(call, target, "file");
            return;
        } catch (DirectoryNotEmptyException e) {
            call.toolboxError(400, "BAD_REQUEST", "directory " + target + " is not empty; pass recursive=true");
            return;
        } catch (OutsideRootException e) {
            refuse(call, target, e);
            return;
        }
        call.empty(204);
    }

    /**
     * The path relative to the sandbox's home ({@code ""} for the home), or null after replying 400/403. Only the
     * home is served: not the sandbox's bookkeeping beside it, nor what a symlink planted in it leads to outside.
     */
    private static String path(Call call, LocalSandbox sandbox, String raw) throws IOException {
        if (raw == null || raw.isBlank()) {
            call.toolboxError(400, "BAD_REQUEST", "the path query parameter is required");
            return null;
        }
        Optional<Path> host = sandbox.runtime.toHost(sandbox, raw);
        if (host.isEmpty() || !host.get().startsWith(sandbox.directory)) {
            call.toolboxError(403, "FILE_ACCESS_DENIED", "path " + raw + " is outside the sandbox");
            return null;
        }
        return sandbox.directory.relativize(host.get()).toString();
    }

    private static void refuse(Call call, String path, OutsideRootException e) throws IOException {
        call.toolboxError(403, "FILE_ACCESS_DENIED", "path " + path + " is outside the sandbox: " + e.reason());
    }

    private static void notFound(Call call, String path, String what) throws IOException {
        call.toolboxError(404, "FILE_NOT_FOUND", "no " + what + " at " + name(path));
    }

    private static String name(String relative) {
        return relative.substring(relative.lastIndexOf('/') + 1);
    }

    private static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    /** The {@code FileInfo} definition of toolbox.json, of a path relative to the home. */
    private static Map<String, Object> fileInfo(LocalSandbox sandbox, String relative, PosixFileAttributes attrs) {
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
