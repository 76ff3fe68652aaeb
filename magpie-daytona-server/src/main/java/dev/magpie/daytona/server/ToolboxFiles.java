package dev.magpie.daytona.server;

import static dev.magpie.daytona.server.FilePaths.fileInfo;
import static dev.magpie.daytona.server.FilePaths.join;
import static dev.magpie.daytona.server.FilePaths.notFound;
import static dev.magpie.daytona.server.FilePaths.refuse;

import dev.magpie.sandbox.internal.files.OutsideRootException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The toolbox's file routes under {@code /files}. They serve the sandbox's home only, through its
 * {@link LocalSandbox#files}: a symlink planted by a sandbox process is followed only where it leads inside the
 * home, never to another sandbox or outside the server's root. This class lists, describes, downloads, makes folders
 * and deletes; {@link FileTransfers}, {@link FileEdits} and {@link FileSearch} do the rest.
 */
final class ToolboxFiles {

    private final FileTransfers transfers = new FileTransfers();

    void handle(Call call, LocalSandbox sandbox, String route) throws IOException {
        String key = call.method + " " + route;
        switch (key) {
            case "GET /files": case "GET /files/": list(call, sandbox); break;
            case "DELETE /files": case "DELETE /files/": delete(call, sandbox); break;
            case "GET /files/info": info(call, sandbox); break;
            case "GET /files/download": download(call, sandbox); break;
            case "POST /files/bulk-download": transfers.bulkDownload(call, sandbox); break;
            case "POST /files/bulk-upload": transfers.bulkUpload(call, sandbox); break;
            case "POST /files/upload-v2": transfers.upload(call, sandbox); break;
            case "POST /files/folder": folder(call, sandbox); break;
            case "POST /files/move": FileEdits.move(call, sandbox); break;
            case "POST /files/permissions": FileEdits.permissions(call, sandbox); break;
            case "POST /files/replace": FileEdits.replace(call, sandbox); break;
            case "GET /files/find": FileSearch.find(call, sandbox); break;
            case "GET /files/search": FileSearch.search(call, sandbox); break;
            default: call.toolboxError(404, "NOT_FOUND", "No toolbox route " + key);
        }
    }

    /** The directory's entries, and with {@code depth} above 1 theirs too, each directory before its children. */
    private void list(Call call, LocalSandbox sandbox) throws IOException {
        String raw = call.params.getOrDefault("path", "");
        String dir = FilePaths.param(call, sandbox, "path", raw.isBlank() ? "." : raw);
        if (dir == null) {
            return;
        }
        int depth = depth(call.params.get("depth"));
        List<Map<String, Object>> entries = new ArrayList<>();
        try {
            list(sandbox, dir, depth, entries);
        } catch (NoSuchFileException | NotDirectoryException e) {
            notFound(call, dir, "directory");
            return;
        } catch (OutsideRootException e) {
            refuse(call, dir, e);
            return;
        }
        call.json(200, entries);
    }

    private static void list(LocalSandbox sandbox, String dir, int depth, List<Map<String, Object>> entries)
            throws IOException {
        for (Map.Entry<String, PosixFileAttributes> child : sandbox.files.listAttributes(dir).entrySet()) {
            String path = join(dir, child.getKey());
            entries.add(fileInfo(sandbox, path, child.getValue()));
            if (depth > 1 && child.getValue().isDirectory()) {
                try {
                    list(sandbox, path, depth - 1, entries);
                } catch (NoSuchFileException | NotDirectoryException | java.nio.file.AccessDeniedException e) {
                    // gone or swapped meanwhile, or unreadable: listed without its children, as the daemon skips it
                }
            }
        }
    }

    private static int depth(String raw) {
        if (raw == null || raw.isBlank()) {
            return 1;
        }
        try {
            int depth = Integer.parseInt(raw.trim());
            if (depth >= 1) {
                return depth;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new Call.BadRequest("depth must be an integer of at least 1, got '" + raw + "'");
    }

    private void info(Call call, LocalSandbox sandbox) throws IOException {
        String file = FilePaths.param(call, sandbox, "path");
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
        String file = FilePaths.param(call, sandbox, "path");
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
        call.header("Content-Disposition", "attachment; filename=\"" + FilePaths.name(file) + "\"");
        try (InputStream in = Channels.newInputStream(channel)) {
            long size = channel.size();
            call.stream(200, "application/octet-stream", size, out -> ReplyStream.copy(in, out, size), new byte[0]);
        }
    }

    /** Makes the folder and those missing above it, each new one with the mode (as the daemon's MkdirAll). */
    private void folder(Call call, LocalSandbox sandbox) throws IOException {
        String dir = FilePaths.param(call, sandbox, "path");
        if (dir == null) {
            return;
        }
        String mode = call.params.getOrDefault("mode", "");
        Optional<Set<PosixFilePermission>> permissions = mode.isBlank() ? Optional.empty()
                : Optional.of(FilePaths.mode(mode));
        try {
            String at = "";
            for (String part : dir.isEmpty() ? new String[0] : dir.split("/")) {
                at = join(at, part);
                if (!sandbox.files.exists(at)) {
                    sandbox.files.createDirectories(at);
                    if (permissions.isPresent()) {
                        sandbox.files.setPermissions(at, permissions.get());
                    }
                }
            }
            call.empty(201);
        } catch (OutsideRootException e) {
            refuse(call, dir, e);
        } catch (FileSystemException e) {
            call.toolboxError(400, "BAD_REQUEST", "cannot make the folder " + call.params.get("path") + ": "
                    + FileEdits.reason(e));
        }
    }

    private void delete(Call call, LocalSandbox sandbox) throws IOException {
        String target = FilePaths.param(call, sandbox, "path");
        if (target == null) {
            return;
        }
        boolean recursive = Boolean.parseBoolean(call.params.getOrDefault("recursive", "false"));
        try {
            if (recursive) {
                List<String> left = sandbox.files.deleteTree(target);
                if (!left.isEmpty()) {
                    throw new IOException("Could not delete " + left.size() + " path(s): " + String.join("; ", left));
                }
            } else if (sandbox.files.attributes(target).isDirectory()) {
                call.toolboxError(400, "BAD_REQUEST", "cannot delete directory " + call.params.get("path")
                        + " without recursive flag; pass recursive=true");
                return;
            } else {
                sandbox.files.delete(target);
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            notFound(call, target, "file");
            return;
        } catch (OutsideRootException e) {
            refuse(call, target, e);
            return;
        } catch (FileSystemException e) {
            call.toolboxError(400, "BAD_REQUEST", "cannot delete " + call.params.get("path") + ": "
                    + FileEdits.reason(e));
            return;
        }
        call.empty(204);
    }
}
