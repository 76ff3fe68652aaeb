package dev.magpie.daytona.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;

/** The toolbox's {@code /git/remotes}: a repository's remotes listed, and one added or replaced. */
final class ToolboxGitRemotes {

    private ToolboxGitRemotes() {
    }

    static void list(Call call, LocalSandbox sandbox, ToolboxGit git) throws IOException {
        String path = git.repository(sandbox, ToolboxGit.query(call, "path"));
        ToolboxGit.report(call, GitRun.of(sandbox, "git remote").at(path).args("remote", "-v").run(),
                output -> Map.of("remotes", GitReports.remotes(output)));
    }

    static void add(Call call, LocalSandbox sandbox, ToolboxGit git) throws IOException {
        JsonNode body = call.json();
        String path = git.repository(sandbox, ToolboxGit.required(body, "path"));
        String name = ToolboxGit.required(body, "name");
        String url = ToolboxGit.required(body, "url");
        boolean replace = body.path("overwrite").asBoolean(false) && GitRun.of(sandbox, "git remote")
                .at(path).args("remote", "get-url", "--", name).run().ok();
        // set-url keeps what names the remote (branches tracking it), as replacing the entry does in the daemon
        GitRun.Result added = GitRun.of(sandbox, "git remote")
                .at(path).args("remote", replace ? "set-url" : "add", "--", name, url).run();
        if (!added.ok() || !body.path("fetch").asBoolean(false)) {
            git.reply(call, added, 201);
            return;
        }
        git.reply(call, GitRun.of(sandbox, "git fetch").at(path).args("fetch", "--quiet", name).run(), 201);
    }
}
