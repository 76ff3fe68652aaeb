package dev.magpie.daytona.server;

import java.io.IOException;
import java.util.Locale;

/**
 * A failed git command answered as the daemon answers it: the status and error code it gives the same failure of
 * its git library, read from what the git command printed, and a message with the tail of that output.
 */
final class GitFailure {

    /** How much of git's output an error message carries. */
    private static final int TAIL = 4096;

    /** An HTTP status and the daemon's error code. */
    record Kind(int status, String code) {
    }

    private GitFailure() {
    }

    /** Replies to the call with the failure of the command. */
    static void reply(Call call, GitRun.Result result) throws IOException {
        Kind kind = classify(result.output());
        String output = result.output().strip();
        if (output.length() > TAIL) {
            output = "..." + output.substring(output.length() - TAIL);
        }
        String message = result.exitCode() < 0 ? output
                : result.op() + " exited with status " + result.exitCode() + (output.isEmpty() ? "" : ": " + output);
        call.toolboxError(kind.status(), kind.code(), message);
    }

    /** The status and error code for git's output; 500 when no known failure matches. */
    static Kind classify(String output) {
        String s = output.toLowerCase(Locale.ROOT);
        if (has(s, "authentication failed", "invalid username or password", "could not read username",
                "could not read password", "terminal prompts disabled")) {
            return new Kind(401, "GIT_AUTH_FAILED");
        }
        if (s.contains("the requested url returned error: 403") || s.contains("remote: permission")
                && s.contains("denied")) {
            return new Kind(403, "FORBIDDEN");
        }
        if (has(s, "repository not found", "the requested url returned error: 404", "remote: not found",
                "does not appear to be a git repository", "not a git repository")
                || s.contains("fatal: repository '") && s.contains("' does not exist")) {
            return new Kind(404, "GIT_REPO_NOT_FOUND");
        }
        if (s.contains("error: branch '") && s.contains("' not found")) {
            return new Kind(404, "GIT_BRANCH_NOT_FOUND");
        }
        if (has(s, "you are not currently on a branch", "unknown revision", "invalid reference",
                "did not match any file(s) known to git", "not a valid object name", "no such remote",
                "couldn't find remote ref", "not found in upstream", "bad revision", "not a valid ref")
                || s.contains("src refspec") && s.contains("does not match any")) {
            return new Kind(404, "NOT_FOUND");
        }
        if (s.contains("a branch named '") && s.contains("' already exists")) {
            return new Kind(409, "GIT_BRANCH_EXISTS");
        }
        // a pull that cannot fast-forward is a non-fast-forward update to the daemon's git library too
        if (has(s, "non-fast-forward", "fetch first", "updates were rejected", "stale info",
                "not possible to fast-forward")) {
            return new Kind(409, "GIT_PUSH_REJECTED");
        }
        if (has(s, "would be overwritten", "please commit your changes or stash them", "needs merge")) {
            return new Kind(409, "GIT_DIRTY_WORKTREE");
        }
        if (has(s, "merge conflict", "automatic merge failed")) {
            return new Kind(409, "GIT_MERGE_CONFLICT");
        }
        if (has(s, "already exists", "cannot delete branch")) {
            return new Kind(409, "CONFLICT");
        }
        return new Kind(500, "INTERNAL_SERVER_ERROR");
    }

    private static boolean has(String text, String... needles) {
        for (String needle : needles) {
            if (text.contains(needle)) {
                return true;
            }
        }
        return false;
    }
}
