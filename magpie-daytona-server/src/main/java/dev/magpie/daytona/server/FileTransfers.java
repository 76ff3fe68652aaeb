package dev.magpie.daytona.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.magpie.sandbox.internal.files.OutsideRootException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Files in and out in bulk: {@code bulk-download} streams each file as a multipart part as it reads it (a missing or
 * refused one becomes an {@code error} part with an {@code ErrorResponse}, as the daemon sends and the SDK parses),
 * {@code bulk-upload} and {@code upload-v2} go to disk first, so no file has to fit in the heap.
 */
final class FileTransfers {

    /** The daemon's boundary; clients read it from the Content-Type. */
    private static final String BOUNDARY = "DAYTONA-FILE-BOUNDARY";

    void bulkDownload(Call call, LocalSandbox sandbox) throws IOException {
        JsonNode paths = call.json().path("paths");
        List<String> requested = new ArrayList<>();
        paths.forEach(p -> requested.add(p.isTextual() ? p.asText() : null));
        if (!paths.isArray() || requested.isEmpty() || requested.contains(null)) {
            call.toolboxError(400, "INVALID_REQUEST_BODY", "the request body must be {\"paths\": [ ... ]} with at "
                    + "least one path, each a string");
            return;
        }
        call.stream(200, "multipart/form-data; boundary=" + BOUNDARY, -1, out -> {
            boolean first = true;
            for (String path : requested) {
                write(out, (first ? "" : "\r\n") + "--" + BOUNDARY + "\r\n");
                first = false;
                part(out, sandbox, path);
            }
            write(out, "\r\n--" + BOUNDARY + "--\r\n");
        }, new byte[0]);
    }

    /** One file's part, or its error part; a file that fails mid-way ends the whole reply (the client sees it cut). */
    private static void part(OutputStream out, LocalSandbox sandbox, String path) throws IOException {
        Object opened = open(sandbox, path);
        if (opened instanceof Map<?, ?> error) {
            byte[] json = Call.JSON.writeValueAsBytes(error);
            write(out, "Content-Disposition: " + disposition("error", path) + "\r\n"
                    + "Content-Type: application/json; charset=utf-8\r\n\r\n");
            out.write(json);
            return;
        }
        try (SeekableByteChannel channel = (SeekableByteChannel) opened;
             InputStream in = Channels.newInputStream(channel)) {
            long size = channel.size();
            write(out, "Content-Disposition: " + disposition("file", path) + "\r\nContent-Length: " + size
                    + "\r\nContent-Type: application/octet-stream\r\n\r\n");
            ReplyStream.copy(in, out, size);
        }
    }

    /** The open file, or the {@code ErrorResponse} of why not (with the daemon's codes and wording). */
    private static Object open(LocalSandbox sandbox, String path) {
        if (path.isEmpty()) {
            return error(path, 400, "INVALID_FILE_PATH", "invalid file path: path is empty");
        }
        Optional<String> relative;
        try {
            relative = FilePaths.relative(sandbox, path);
        } catch (Call.BadRequest e) {
            return error(path, 400, "INVALID_FILE_PATH", e.getMessage());
        }
        if (relative.isEmpty()) {
            return error(path, 403, "FILE_ACCESS_DENIED", "permission denied: " + path + " is outside the sandbox");
        }
        try {
            if (sandbox.files.attributes(relative.get()).isDirectory()) {
                return error(path, 400, "INVALID_FILE_PATH", "invalid file path: path points to a directory: " + path);
            }
            return sandbox.files.openRead(relative.get());
        } catch (NoSuchFileException | NotDirectoryException e) {
            return error(path, 404, "FILE_NOT_FOUND", "file not found: " + path);
        } catch (OutsideRootException | AccessDeniedException e) {
            return error(path, 403, "FILE_ACCESS_DENIED", "permission denied: " + path);
        } catch (IOException e) {
            return error(path, 500, "FILE_READ_FAILED", "failed to open file: " + FileEdits.reason(e));
        }
    }

    private static Map<String, Object> error(String path, int status, String code, String message) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("statusCode", status);
        out.put("message", message);
        out.put("code", code);
        out.put("timestamp", Instant.now().toString());
        out.put("path", path);
        out.put("method", "POST");
        out.put("source", "DAYTONA_DAEMON");
        return out;
    }

    /** The name and the path as asked (clients match parts to requests by it), in Latin-1 and in RFC 5987 UTF-8. */
    private static String disposition(String name, String path) {
        StringBuilder latin = new StringBuilder();
        for (char c : path.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\r\n\0]", "").toCharArray()) {
            latin.append(c > 0xFF || c < 0x20 || c == 0x7F ? '_' : c);
        }
        StringBuilder encoded = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            boolean plain = c < 0x80 && (Character.isLetterOrDigit(c) || "!#$&+-.^_`|~".indexOf(c) >= 0);
            encoded.append(plain ? String.valueOf(c) : String.format("%%%02X", b & 0xFF));
        }
        return "form-data; name=\"" + name + "\"; filename=\"" + latin + "\"; filename*=utf-8''" + encoded;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** {@code POST /files/bulk-upload}: parts {@code files[i].path} and {@code files[i].file}, written in order. */
    void bulkUpload(Call call, LocalSandbox sandbox) throws IOException {
        withBody(call, sandbox, body -> {
            Map<String, String> paths = new LinkedHashMap<>();
            Map<String, ByteBuffer> contents = new LinkedHashMap<>();
            Multipart.parse(call.header("Content-Type"), body).forEach((name, value) -> {
                if (name.matches("files\\[\\d+]\\.path")) {
                    paths.put(name.substring(0, name.length() - ".path".length()),
                            StandardCharsets.UTF_8.decode(value).toString());
                } else if (name.matches("files\\[\\d+]\\.file")) {
                    contents.put(name.substring(0, name.length() - ".file".length()), value);
                }
            });
            if (paths.isEmpty() || !paths.keySet().equals(contents.keySet())) {
                call.toolboxError(400, "BAD_REQUEST", "expected parts files[i].path and files[i].file for each file");
                return;
            }
            for (Map.Entry<String, String> entry : paths.entrySet()) {
                if (!store(call, sandbox, entry.getKey() + ".path", entry.getValue(), contents.get(entry.getKey()))) {
                    return;
                }
            }
            call.empty(200);
        });
    }

    /** {@code POST /files/upload-v2?path=}: a multipart part {@code file}, or the raw body. */
    void upload(Call call, LocalSandbox sandbox) throws IOException {
        String raw = call.params.get("path");
        withBody(call, sandbox, body -> {
            String type = call.header("Content-Type");
            ByteBuffer content = body;
            if (type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
                content = Multipart.parse(type, body).get("file");
                if (content == null) {
                    call.toolboxError(400, "BAD_REQUEST", "expected a multipart part named file");
                    return;
                }
            }
            if (store(call, sandbox, "path", raw, content)) {
                String relative = FilePaths.relative(sandbox, raw).orElseThrow();
                String name = FilePaths.name(relative);
                String guessed = java.net.URLConnection.guessContentTypeFromName(name);
                call.json(200, Map.of("name", name, "path", FilePaths.shown(sandbox, relative),
                        "type", guessed == null ? "application/octet-stream" : guessed));
            }
        });
    }

    /** Writes one file through a temporary file and a rename (a reader never sees half of it), or replies why not. */
    private static boolean store(Call call, LocalSandbox sandbox, String name, String raw, ByteBuffer content)
            throws IOException {
        String target = FilePaths.param(call, sandbox, name, raw);
        if (target == null) {
            return false;
        }
        try {
            sandbox.files.write(target, content);
            return true;
        } catch (OutsideRootException e) {
            FilePaths.refuse(call, target, e);
        } catch (FileSystemException e) {
            // a file where a directory is needed, a directory where the file goes: the request's fault
            call.toolboxError(400, "BAD_REQUEST", "cannot write " + raw + ": " + FileEdits.reason(e));
        }
        return false;
    }

    private interface BodyUse {
        void accept(ByteBuffer body) throws IOException;
    }

    /** The body spooled to disk and mapped: an upload never has to fit in the heap. */
    private static void withBody(Call call, LocalSandbox sandbox, BodyUse use) throws IOException {
        Path spooled = call.spoolBody(sandbox.directory.getParent());
        try (FileChannel channel = FileChannel.open(spooled, StandardOpenOption.READ)) {
            if (channel.size() > Integer.MAX_VALUE) {
                call.toolboxError(413, "REQUEST_TOO_LARGE", "an upload is at most " + Integer.MAX_VALUE + " bytes");
                return;
            }
            use.accept(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()));
        } finally {
            Files.deleteIfExists(spooled);
        }
    }
}
