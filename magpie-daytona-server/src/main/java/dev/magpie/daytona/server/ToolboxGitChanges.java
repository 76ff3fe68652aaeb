package dev.magpie.daytona.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/** The toolbox's {@code /git/reset} and {@code /git/restore}: undoing changes of a repository in the sandbox. */
final class ToolboxGitChanges {

    private static final Set<String> RESET_MODES = Set.of("soft", "mixed", "hard", "merge", "keep");

    private ToolboxGitChanges() {
    }

    static void handle(Call call, LocalSandbox sandbox, String route, ToolboxGit git) throws IOException {
        JsonNode body = call.json();
        String path = git.repository(sandbox, ToolboxGit.required(body, "path"));
        GitRun run = route.equals("/git/reset") ? reset(sandbox, body, path) : restore(sandbox, body, path);
        git.reply(call, run.run(), 200);
    }

    private static GitRun reset(LocalSandbox sandbox, JsonNode body, String path) {
        String mode = ToolboxGit.text(body, "mode");
        if (mode != null && !mode.isEmpty() && !RESET_MODES.contains(mode)) {
            throw new Call.BadRequest("unsupported reset mode '" + mode + "': use one of soft, mixed (the default), "
                    + "hard, merge or keep");
        }
        GitRun reset = GitRun.of(sandbox, "git reset").at(path).args("reset", "--quiet");
        List<String> files = body.has("files") ? ToolboxGit.strings(body, "files") : List.of();
        if (files.isEmpty()) {
            reset.args("--" + (mode == null || mode.isEmpty() ? "mixed" : mode));
        } else if (mode != null && !mode.isEmpty() && !mode.equals("mixed")) {
            throw new Call.BadRequest("reset mode '" + mode + "' cannot reset single files; leave the mode out (or "
                    + "mixed) to reset files, or leave the files out");
        }
        String target = ToolboxGit.text(body, "target");
        reset.args(target == null || target.isEmpty() ? "HEAD" : target);
        if (!files.isEmpty()) {
            reset.args("--").args(files);
        }
        return reset;
    }

    /** Without staged or worktree, the worktree; with only one of them given, only that one (as the daemon). */
    private static GitRun restore(LocalSandbox sandbox, JsonNode body, String path) {
        List<String> files = ToolboxGit.strings(body, "files");
        if (files.isEmpty()) {
            throw new Call.BadRequest("files is required: at least one path to restore");
        }
        boolean staged = body.path("staged").asBoolean(false);
        boolean worktree = body.hasNonNull("worktree") ? body.get("worktree").asBoolean() : !body.hasNonNull("staged");
        if (!staged && !worktree) {
            throw new Call.BadRequest("at least one of staged or worktree must be true");
        }
        GitRun restore = GitRun.of(sandbox, "git restore").at(path).args("restore");
        if (staged) {
            restore.args("--staged");
        }
        if (worktree) {
            restore.args("--worktree");
        }
        String source = ToolboxGit.text(body, "source");
        if (source != null && !source.isEmpty()) {
            restore.args("--source=" + source);
        }
        return restore.args("--").args(files);
    }
}
