package dev.magpie.sandbox.daytona;

import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.ShellWords;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The file operations of a workspace, each behind the {@link RealPathCheck} and in one request where the content
 * allows: the operation runs in the check's own script. Contents pass through that script's JSON reply as
 * base64, so reads up to {@link #INLINE_READ} bytes and writes up to {@link #INLINE_WRITE} (a command line stays
 * well under Linux's 128 KiB limit for one argument) take one request; larger ones take the check, then the
 * toolbox's streaming download or upload. Needs GNU coreutils and findutils in the snapshot.
 */
final class CheckedFiles {

    static final int INLINE_READ = 256 * 1024;
    static final int INLINE_WRITE = 48 * 1024;

    private final DaytonaToolbox toolbox;
    private final RealPathCheck check;

    CheckedFiles(DaytonaToolbox toolbox, RealPathCheck check) {
        this.toolbox = toolbox;
        this.check = check;
    }

    /** The file's bytes, or empty when nothing is there. */
    Optional<byte[]> read(String path, String shown) {
        String q = ShellWords.quote(path);
        // the file is opened once, and a file too large to come inline is downloaded after this check
        String out = check.run(path, shown, "if [ -f " + q + " ] && [ -r " + q + " ]; then exec 3< " + q
                + "; printf f; head -c " + (INLINE_READ + 1) + " <&3 | base64 -w0\n"
                + "elif [ -e " + q + " ]; then printf d; else printf m; fi");
        if (out.startsWith("f")) {
            byte[] content = decode(out.substring(1));
            if (content != null && content.length <= INLINE_READ) {
                return Optional.of(content);
            }
        } else if (out.equals("m")) {
            return Optional.empty();
        }
        return toolbox.download(path);
    }

    /** The bytes, or null when the text is not base64 (a read error's message joined the output): download. */
    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Writes the file, creating its parent directories. */
    void write(String path, String shown, byte[] content) {
        if (content.length > INLINE_WRITE) {
            check.check(path, shown);
            toolbox.upload(path, content);
            return;
        }
        String parent = path.substring(0, Math.max(1, path.lastIndexOf('/')));
        check.run(path, shown, "mkdir -p -- " + ShellWords.quote(parent) + " && printf %s '"
                + Base64.getEncoder().encodeToString(content) + "' | base64 -d > " + ShellWords.quote(path));
    }

    boolean exists(String path, String shown) {
        String q = ShellWords.quote(path);
        return check.run(path, shown, "[ -e " + q + " ] && printf y || printf n").equals("y");
    }

    /** The names in a directory, or empty when there is no directory at the path. */
    Optional<List<String>> list(String path, String shown) {
        String q = ShellWords.quote(path);
        String out = check.run(path, shown, "if [ -d " + q + " ]; then printf d; find -H " + q
                + " -mindepth 1 -maxdepth 1 -printf '%f\\0' || exit 91; else printf n; fi");
        if (!out.startsWith("d")) {
            return Optional.empty();
        }
        String names = out.substring(1);
        if (!names.isEmpty() && !names.endsWith("\0")) {
            throw new WorkspaceException("Listing '" + shown + "' in Daytona sandbox " + toolbox.sandboxId()
                    + " gave '" + names.replace('\0', ' ') + "', not NUL-ended names. The listing needs GNU find.");
        }
        return Optional.of(names.isEmpty() ? List.of() : Arrays.asList(names.substring(0, names.length() - 1)
                .split("\0", -1)));
    }

    /** Removes the entry (a symlink itself, never its target), recursively; nothing there is not an error. */
    void delete(String path, String shown) {
        check.runOnEntry(path, shown, "rm -rf -- " + ShellWords.quote(path));
    }
}
