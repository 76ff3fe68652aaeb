package dev.magpie.sandbox.daytona;

import dev.magpie.sandbox.PathOutsideWorkspaceException;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.ShellWords;
import java.time.Duration;

/**
 * Refuses paths that are lexically inside the working directory but lead out of it through a symlink in the
 * sandbox. The toolbox's file routes follow symlinks, and whether a path holds one is only known inside the
 * sandbox, so each check is one {@code process/execute}: {@code realpath -m --relative-base} (GNU coreutils)
 * resolves the path and the working directory together, and the operation that needs the check runs in the same
 * shell only when the path is inside, so a file operation is one request and the window in which a symlink could
 * be swapped in is that between two lines of one script rather than between two round trips.
 */
final class RealPathCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The exit code of the script when {@code realpath} itself failed. */
    private static final int UNRESOLVED = 90;

    private final DaytonaToolbox toolbox;
    private final String workingDir;

    RealPathCheck(DaytonaToolbox toolbox, String workingDir) {
        this.toolbox = toolbox;
        this.workingDir = workingDir;
    }

    /**
     * Resolves {@code resolved} (an absolute path lexically inside) and, when its real path is inside, runs the
     * shell lines of {@code then}; refuses the path otherwise, with {@code then} never run.
     *
     * @return what {@code then} printed, stdout and stderr merged
     * @throws WorkspaceException when {@code then} exits non-zero, with its output
     */
    String run(String resolved, String shown, String then) {
        String command = "o=$(realpath -m --relative-base=" + ShellWords.quote(workingDir) + " -- "
                + ShellWords.quote(resolved) + ") || exit " + UNRESOLVED + "\n"
                + "case \"$o\" in /*) printf 'o%s' \"$o\"; exit 0;; esac\n"
                + "printf i\n"
                + then;
        DaytonaToolbox.ExecuteResult result = toolbox.execute(command, null, null, TIMEOUT);
        String out = result.result();
        if (result.exitCode() == UNRESOLVED || out.isEmpty() || out.charAt(0) != 'o' && out.charAt(0) != 'i') {
            throw new WorkspaceException("Could not resolve symlinks of '" + shown + "' in Daytona sandbox "
                    + toolbox.sandboxId() + ": 'realpath -m --relative-base' exited " + result.exitCode() + " with '"
                    + out.strip() + "'. The path checks need GNU coreutils in the snapshot.");
        }
        if (out.charAt(0) == 'o') {
            throw new PathOutsideWorkspaceException(shown, workingDir, "it resolves through a symlink to "
                    + out.substring(1));
        }
        if (result.exitCode() != 0) {
            throw new WorkspaceException("Could not operate on '" + shown + "' in Daytona sandbox "
                    + toolbox.sandboxId() + ": the shell exited " + result.exitCode() + " with '"
                    + out.substring(1).strip() + "'. Check the path's type and permissions.");
        }
        return out.substring(1);
    }

    /** Refuses {@code absolutePath} (already lexically inside) when its real path is outside. */
    void check(String absolutePath, String shown) {
        run(absolutePath, shown, "");
    }

    /** As {@link #check}, and refuses a path that is not an existing directory, in the same round trip. */
    void checkDirectory(String absolutePath, String shown) {
        String quoted = ShellWords.quote(absolutePath);
        if (!run(absolutePath, shown, "test -d " + quoted + " && printf d || printf f").equals("d")) {
            throw new WorkspaceException("Cannot run a command in subdirectory '" + shown + "' of Daytona sandbox "
                    + toolbox.sandboxId() + ": it does not exist or is not a directory. Create it first, or pass a "
                    + "subdirectory that exists.");
        }
    }

    /**
     * For an entry that is removed, not followed: only its parent is resolved, so a symlink inside the working
     * directory can be removed whatever it points to, and its target is never touched. Runs {@code then} when the
     * parent is inside, as {@link #run}.
     */
    String runOnEntry(String absolutePath, String shown, String then) {
        int slash = absolutePath.lastIndexOf('/');
        return run(slash <= 0 ? "/" : absolutePath.substring(0, slash), shown, then);
    }
}
