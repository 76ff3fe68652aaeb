package dev.magpie.sandbox.daytona;

import dev.magpie.sandbox.PathOutsideWorkspaceException;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.PathRules;
import dev.magpie.sandbox.internal.ShellWords;
import java.time.Duration;

/**
 * Refuses paths that are lexically inside the working directory but lead out of it through a symlink in the
 * sandbox. The toolbox's file routes follow symlinks, and whether a path holds one is only known inside the
 * sandbox, so every check is one {@code process/execute} of {@code realpath -m} (GNU coreutils) resolving the
 * working directory and the path together. The operation itself then goes to the path as given: a link swapped
 * between the check and the operation is not caught, as with any check made before a remote call.
 */
final class RealPathCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final DaytonaToolbox toolbox;
    private final String workingDir;

    RealPathCheck(DaytonaToolbox toolbox, String workingDir) {
        this.toolbox = toolbox;
        this.workingDir = workingDir;
    }

    /** Refuses {@code absolutePath} (already lexically inside) when its real path is outside. */
    void check(String absolutePath, String shown) {
        Real real = resolve(absolutePath, shown, false);
        refuseOutside(real.root(), real.path(), shown);
    }

    /** As {@link #check}, and refuses a path that is not an existing directory, in the same round trip. */
    void checkDirectory(String absolutePath, String shown) {
        Real real = resolve(absolutePath, shown, true);
        refuseOutside(real.root(), real.path(), shown);
        if (!real.directory()) {
            throw new WorkspaceException("Cannot run a command in subdirectory '" + shown + "' of Daytona sandbox "
                    + toolbox.sandboxId() + ": it does not exist or is not a directory. Create it first, or pass a "
                    + "subdirectory that exists.");
        }
    }

    /**
     * The same for an entry that is removed, not followed: only its parent is resolved, so a symlink inside the
     * working directory can be deleted whatever it points to, and its target is never touched.
     */
    void checkEntry(String absolutePath, String shown) {
        int slash = absolutePath.lastIndexOf('/');
        Real parent = resolve(slash <= 0 ? "/" : absolutePath.substring(0, slash), shown, false);
        String name = absolutePath.substring(slash + 1);
        refuseOutside(parent.root(), parent.path().equals("/") ? "/" + name : parent.path() + "/" + name, shown);
    }

    /** The real paths of the working directory and of a path in it, and whether that path is a directory. */
    private record Real(String root, String path, boolean directory) {
    }

    private Real resolve(String absolutePath, String shown, boolean probeDirectory) {
        // -z ends each path with NUL, so no path can be mistaken for two; stderr joins the output, for the message.
        String quoted = ShellWords.quote(absolutePath);
        String command = "realpath -m -z -- " + ShellWords.quote(workingDir) + " " + quoted
                + (probeDirectory ? " && { test -d " + quoted + " && printf d || printf f; }" : "");
        DaytonaToolbox.ExecuteResult result = toolbox.execute(command, null, null, TIMEOUT);
        String[] paths = result.result().split("\0", -1);
        String tail = probeDirectory ? "[df]" : "";
        if (result.exitCode() != 0 || paths.length != 3 || !paths[2].matches(tail)) {
            throw new WorkspaceException("Could not resolve symlinks of '" + shown + "' in Daytona sandbox "
                    + toolbox.sandboxId() + ": 'realpath -m -z' exited " + result.exitCode() + " with '"
                    + result.result().replace('\0', ' ').strip() + "'. The path checks need GNU coreutils in the "
                    + "snapshot.");
        }
        return new Real(paths[0], paths[1], paths[2].equals("d"));
    }

    private void refuseOutside(String realRoot, String real, String shown) {
        if (!PathRules.isWithin(realRoot, real)) {
            throw new PathOutsideWorkspaceException(shown, workingDir, "it resolves through a symlink to " + real);
        }
    }
}
