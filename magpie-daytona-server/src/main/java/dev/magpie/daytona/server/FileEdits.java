package dev.magpie.daytona.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.magpie.sandbox.internal.files.OutsideRootException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The file routes that change files in place: move, permissions and owner, replace text. */
final class FileEdits {

    private FileEdits() {
    }

    /** Renames a file or directory; the destination's parent must exist and the destination must not. */
    static void move(Call call, LocalSandbox sandbox) throws IOException {
        String source = FilePaths.param(call, sandbox, "source");
        if (source == null) {
            return;
        }
        String destination = FilePaths.param(call, sandbox, "destination");
        if (destination == null) {
            return;
        }
        try {
            sandbox.files.move(source, destination);
            call.empty(200);
        } catch (FileAlreadyExistsException e) {
            call.toolboxError(409, "CONFLICT", "destination " + call.params.get("destination") + " already exists");
        } catch (NoSuchFileException | NotDirectoryException e) {
            call.toolboxError(404, "FILE_NOT_FOUND", "no such file or directory: " + reason(e)
                    + " (the source and the destination's parent directory must exist)");
        } catch (OutsideRootException e) {
            FilePaths.refuse(call, e.path(), e);
        } catch (FileSystemException e) {
            call.toolboxError(400, "BAD_REQUEST", "failed to move " + call.params.get("source") + " to "
                    + call.params.get("destination") + ": " + reason(e));
        }
    }

    /** Sets the mode, then the owner and group; a name the system does not know, or may not give, is a 400. */
    static void permissions(Call call, LocalSandbox sandbox) throws IOException {
        String path = FilePaths.param(call, sandbox, "path");
        if (path == null) {
            return;
        }
        String mode = call.params.getOrDefault("mode", "");
        String owner = call.params.getOrDefault("owner", "");
        String group = call.params.getOrDefault("group", "");
        try {
            sandbox.files.attributes(path);
            if (!mode.isEmpty()) {
                sandbox.files.setPermissions(path, FilePaths.mode(mode));
            }
            if (!owner.isEmpty() || !group.isEmpty()) {
                UserPrincipalLookupService names = sandbox.directory.getFileSystem().getUserPrincipalLookupService();
                UserPrincipal user = owner.isEmpty() ? null : names.lookupPrincipalByName(owner);
                GroupPrincipal users = group.isEmpty() ? null : names.lookupPrincipalByGroupName(group);
                sandbox.files.setOwner(path, user, users);
            }
            call.empty(200);
        } catch (NoSuchFileException | NotDirectoryException e) {
            FilePaths.notFound(call, path, "file or directory");
        } catch (OutsideRootException e) {
            FilePaths.refuse(call, path, e);
        } catch (UserPrincipalNotFoundException e) {
            call.toolboxError(400, "BAD_REQUEST", (e.getName().equals(owner) ? "user " : "group ") + e.getName()
                    + " not found on this machine; the local server's sandboxes share its users, pass one of "
                    + "them (or a numeric id)");
        } catch (FileSystemException e) {
            call.toolboxError(400, "BAD_REQUEST", "failed to change the permissions of " + call.params.get("path")
                    + ": " + reason(e) + (owner.isEmpty() && group.isEmpty() ? ""
                    : "; an owner other than the server's user needs the server to run as root"));
        }
    }

    /** Replaces every occurrence of the pattern in each file; each file gets its own result, failures included. */
    static void replace(Call call, LocalSandbox sandbox) throws IOException {
        JsonNode body = call.json();
        if (!body.path("files").isArray() || !body.path("pattern").isTextual()
                || body.path("pattern").asText().isEmpty()) {
            call.toolboxError(400, "INVALID_REQUEST_BODY", "invalid request body: expected files (an array of "
                    + "paths), a non-empty pattern and newValue");
            return;
        }
        String pattern = body.get("pattern").asText();
        String value = body.path("newValue").asText("");
        List<Map<String, Object>> results = new ArrayList<>();
        for (JsonNode file : body.get("files")) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("file", file.asText());
            Optional<String> failure = replace(sandbox, file.asText(), pattern, value);
            result.put("success", failure.isEmpty());
            failure.ifPresent(reason -> result.put("error", reason));
            results.add(result);
        }
        call.json(200, results);
    }

    private static Optional<String> replace(LocalSandbox sandbox, String raw, String pattern, String value) {
        Optional<String> relative = FilePaths.relative(sandbox, raw);
        if (relative.isEmpty()) {
            return Optional.of("open " + raw + ": permission denied (outside the sandbox)");
        }
        try {
            if (sandbox.files.attributes(relative.get()).size() > Call.MAX_BODY) {
                return Optional.of("open " + raw + ": over the " + Call.MAX_BODY + " bytes this server edits");
            }
            // bytes as Latin-1 characters, one each: the pattern's UTF-8 bytes are replaced and every other byte
            // (of a file in another encoding, say) is written back as it was
            String text = new String(sandbox.files.read(relative.get()), StandardCharsets.ISO_8859_1);
            sandbox.files.write(relative.get(), text.replace(latin(pattern), latin(value))
                    .getBytes(StandardCharsets.ISO_8859_1));
            return Optional.empty();
        } catch (NoSuchFileException | NotDirectoryException e) {
            return Optional.of("open " + raw + ": no such file or directory");
        } catch (OutsideRootException e) {
            return Optional.of("open " + raw + ": permission denied (" + e.reason() + ")");
        } catch (IOException e) {
            return Optional.of("open " + raw + ": " + reason(e));
        }
    }

    private static String latin(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** What failed, without the host paths an exception may carry. */
    static String reason(IOException e) {
        if (e instanceof FileSystemException fs) {
            String why = fs.getReason() != null ? fs.getReason() : e.getClass().getSimpleName();
            return fs.getFile() == null ? why : FilePaths.name(fs.getFile()) + ": " + why;
        }
        return e.getClass().getSimpleName();
    }
}
