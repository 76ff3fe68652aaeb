package dev.magpie.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.PathOutsideWorkspaceException;
import dev.magpie.sandbox.WorkspaceException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * File operations in a container: contents travel as tar archives through the engine's archive API, and a short
 * shell check inside the container resolves symlinks ({@code realpath -m}) so that a link pointing out of the
 * working directory is refused, as for local workspaces. Paths given here are already lexically inside the
 * working directory.
 */
final class ContainerFiles {

    // Exit codes of CHECK, mapped to exceptions below.
    private static final int OUTSIDE = 3;
    private static final int IS_DIRECTORY = 4;
    private static final int MISSING = 5;
    private static final int NOT_DIRECTORY = 6;
    private static final int FAILED = 7;
    private static final int NO_REALPATH = 9;

    /** Resolves {@code $3} with symlinks, refuses it outside {@code $2}, then does operation {@code $1}. */
    private static final String CHECK = ""
            + "op=$1; root=$(realpath -m -- \"$2\" 2>/dev/null) || exit 9\n"
            + "if [ \"$op\" = delete ]; then\n"
            + "  parent=$(realpath -m -- \"$(dirname -- \"$3\")\") || exit 9; r=$parent/$(basename -- \"$3\")\n"
            + "else r=$(realpath -m -- \"$3\") || exit 9; fi\n"
            + "if [ \"$root\" != / ]; then\n"
            + "  case $r in \"$root\"|\"$root\"/*) ;; *) printf '%s' \"$r\"; exit 3 ;; esac\n"
            + "fi\n"
            + "case $op in\n"
            + "  read) [ -d \"$r\" ] && exit 4; [ -e \"$r\" ] || exit 5; printf '%s' \"$r\" ;;\n"
            + "  exists) [ -e \"$r\" ] || exit 1 ;;\n"
            + "  list) [ -d \"$r\" ] || { [ -e \"$r\" ] && exit 6; exit 5; }\n"
            + "    cd -- \"$r\" && for f in * .[!.]* ..?*; do\n"
            + "      if [ -e \"$f\" ] || [ -L \"$f\" ]; then printf '%s\\0' \"$f\"; fi; done ;;\n"
            // $4: the uploaded content. Copied beside the target, then renamed over it: atomic, keeps the mode.
            + "  write) trap 'rm -f -- \"$4\" \"$t\"' EXIT; [ -d \"$r\" ] && exit 4\n"
            + "    d=$(dirname -- \"$r\"); t=$d/.magpie-$$.tmp; mkdir -p -- \"$d\" && cp -- \"$4\" \"$t\" || exit 7\n"
            + "    if [ -e \"$r\" ]; then chmod \"$(stat -c %a -- \"$r\")\" -- \"$t\" 2>/dev/null; fi\n"
            + "    mv -f -- \"$t\" \"$r\" || exit 7 ;;\n"
            + "  delete) [ \"$r\" = \"$root\" ] && exit 4; rm -rf -- \"$r\" || exit 7 ;;\n"
            + "esac\n";

    private final DockerClient client;
    private final String containerId;
    private final ContainerExec exec;
    private final String workingDir;

    ContainerFiles(DockerClient client, String containerId, ContainerExec exec, String workingDir) {
        this.client = client;
        this.containerId = containerId;
        this.exec = exec;
        this.workingDir = workingDir;
    }

    byte[] read(String path) {
        String real = check("read", path).stdout();
        try (InputStream tar = client.copyArchiveFromContainerCmd(containerId, real).exec();
             TarArchiveInputStream entries = new TarArchiveInputStream(tar)) {
            TarArchiveEntry entry = entries.getNextEntry();
            if (entry == null || !entry.isFile()) {
                throw new WorkspaceException("Expected a regular file at '" + relative(path) + "' in container "
                        + shortId() + ", but the engine sent " + (entry == null ? "nothing" : "'" + entry.getName() + "'")
                        + ".");
            }
            return entries.readAllBytes();
        } catch (NotFoundException e) {
            throw missing(path, e);
        } catch (IOException e) {
            throw new WorkspaceException("Could not read '" + relative(path) + "' from container " + shortId() + ": "
                    + e.getMessage() + ". Check that the container still runs.", e);
        }
    }

    void write(String path, byte[] content) {
        // Uploaded outside the working directory first: a failed upload leaves nothing in the workspace.
        String upload = "/tmp/.magpie-upload-" + UUID.randomUUID();
        try {
            client.copyArchiveToContainerCmd(containerId).withRemotePath("/tmp").withTarInputStream(
                    new ByteArrayInputStream(Archives.singleFile(upload.substring(5), content, 0644))).exec();
        } catch (NotFoundException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new WorkspaceException("Could not write '" + relative(path) + "' in container " + shortId()
                    + ": " + e.getMessage() + ". The workspace is unchanged.", e);
        }
        check("write", path, upload);
    }

    boolean exists(String path) {
        return check("exists", path).exitCode() == 0;
    }

    List<String> list(String directory) {
        String names = check("list", directory).stdout();
        return names.isEmpty() ? List.of() : Arrays.stream(names.split("\0")).sorted().toList();
    }

    void delete(String path) {
        check("delete", path);
    }

    private ExecResult check(String operation, String path) {
        return check(operation, path, "");
    }

    private ExecResult check(String operation, String path, String extra) {
        ExecResult result = run("sh", "-c", CHECK, "magpie-files", operation, workingDir, path, extra);
        switch (result.exitCode()) {
            case 0:
                return result;
            case 1:
                if (operation.equals("exists")) {
                    return result;
                }
                break;
            case OUTSIDE:
                throw new PathOutsideWorkspaceException(relative(path), workingDir,
                        "it resolves through a symlink to " + result.stdout());
            case IS_DIRECTORY:
                throw new WorkspaceException("Expected a file at '" + relative(path) + "' in container " + shortId()
                        + ", but it is a directory" + (operation.equals("delete") ? " (the working directory)" : "")
                        + ".");
            case MISSING:
                throw missing(path, null);
            case NOT_DIRECTORY:
                throw new WorkspaceException("Expected a directory at '" + relative(path) + "' in container "
                        + shortId() + ", but it is a file.");
            case NO_REALPATH:
                throw new WorkspaceException("The image of container " + shortId() + " has no 'realpath -m' (GNU"
                        + " coreutils), which the path checks need. Use an image with coreutils.");
            default:
                break;
        }
        throw new WorkspaceException("The " + operation + " of '" + relative(path) + "' failed in container "
                + shortId() + " with exit code " + result.exitCode() + ": " + result.stderr().strip());
    }

    private ExecResult run(String... command) {
        return exec.run(ExecRequest.builder(command[0], Arrays.copyOfRange(command, 1, command.length)).build(), "/");
    }

    private WorkspaceException missing(String path, Throwable cause) {
        return new WorkspaceException("No file at '" + relative(path) + "' in container " + shortId() + " (working"
                + " directory " + workingDir + ").", cause);
    }

    private String relative(String absolute) {
        return absolute.startsWith(workingDir + "/") ? absolute.substring(workingDir.length() + 1) : absolute;
    }

    private String shortId() {
        return containerId.substring(0, Math.min(12, containerId.length()));
    }
}
