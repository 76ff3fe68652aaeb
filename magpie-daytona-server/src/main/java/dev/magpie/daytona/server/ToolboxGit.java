package dev.magpie.daytona.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;
import java.util.Map;

/**
 * The toolbox's {@code /git/*} routes: each runs {@code git} inside the sandbox (see {@link GitRun}) on a
 * repository path of the sandbox (relative ones resolve against its home) and answers as the daemon does.
 * Repository paths outside the sandbox's home are refused with 403, as the file routes refuse them.
 */
final class ToolboxGit {

    /** Serves one {@code /git/...} route; {@code route} starts with {@code /git/}. */
    void handle(Call call, LocalSandbox sandbox, String route) throws IOException {
        String op = call.method + " " + route;
        switch (op) {
            case "POST /git/clone" -> clone(call, sandbox);
            case "GET /git/status" -> status(call, sandbox);
            case "POST /git/add" -> add(call, sandbox);
            case "POST /git/commit" -> commit(call, sandbox);
            case "GET /git/branches" -> branches(call, sandbox);
            case "POST /git/branches" -> simple(call, sandbox, 201, "git checkout", "checkout", "-b", "name");
            case "DELETE /git/branches" -> simple(call, sandbox, 204, "git branch", "branch", "-D", "name");
            case "POST /git/checkout" -> checkout(call, sandbox);
            case "POST /git/pull" -> pull(call, sandbox);
            case "POST /git/push" -> push(call, sandbox);
            case "GET /git/history" -> history(call, sandbox);
            case "POST /git/init" -> init(call, sandbox);
            case "GET /git/remotes" -> ToolboxGitRemotes.list(call, sandbox, this);
            case "POST /git/remotes" -> ToolboxGitRemotes.add(call, sandbox, this);
            case "POST /git/reset", "POST /git/restore" -> ToolboxGitChanges.handle(call, sandbox, route, this);
            case "GET /git/config", "POST /git/config", "POST /git/config/user", "POST /git/credentials" ->
                    ToolboxGitConfig.handle(call, sandbox, route, this);
            default -> call.toolboxError(404, "NOT_FOUND", "No toolbox route " + op);
        }
    }

    private void clone(Call call, LocalSandbox sandbox) throws IOException {
        JsonNode body = call.json();
        String url = required(body, "url");
        String path = repository(sandbox, required(body, "path"));
        List<String> args = new ArrayList<>();
        if (body.path("insecure_skip_tls").asBoolean(false)) {
            args.addAll(List.of("-c", "http.sslVerify=false"));
        }
        args.addAll(List.of("clone", "--single-branch"));
        if (body.hasNonNull("branch") && !body.get("branch").asText().isEmpty()) {
            args.addAll(List.of("--branch", body.get("branch").asText()));
        }
        if (body.hasNonNull("depth")) {
            long depth = body.get("depth").asLong();
            if (!body.get("depth").canConvertToInt() || depth < 0) {
                throw new Call.BadRequest("depth must be a non-negative integer, got " + body.get("depth"));
            }
            if (depth > 0) {
                args.addAll(List.of("--depth", Long.toString(depth)));
            }
        }
        args.addAll(List.of("--", url, path));
        GitRun.Credentials credentials = GitRun.Credentials.of(text(body, "username"), text(body, "password"));
        GitRun.Result cloned = GitRun.of(sandbox, "git clone").args(args).credentials(credentials).run();
        if (!cloned.ok()) {
            GitFailure.reply(call, cloned);
            return;
        }
        String commit = text(body, "commit_id");
        if (commit != null && !commit.isEmpty()) {
            GitRun.Result checkedOut = GitRun.of(sandbox, "git checkout " + commit)
                    .at(path).args("checkout", "--detach", commit, "--").run();
            if (!checkedOut.ok()) {
                GitFailure.reply(call, checkedOut);
                return;
            }
        }
        call.empty(200);
    }

    private void status(Call call, LocalSandbox sandbox) throws IOException {
        report(call, GitRun.of(sandbox, "git status").at(repository(sandbox, query(call, "path")))
                .args(GitReports.STATUS).run(), GitReports::status);
    }

    /** Replies with what {@code parse} makes of a successful command's output, or with its failure. */
    static void report(Call call, GitRun.Result result, Function<String, Object> parse) throws IOException {
        if (!result.ok()) {
            GitFailure.reply(call, result);
            return;
        }
        call.json(200, parse.apply(result.output()));
    }

    private void add(Call call, LocalSandbox sandbox) throws IOException {
        JsonNode body = call.json();
        String path = repository(sandbox, required(body, "path"));
        List<String> files = strings(body, "files");
        if (files.isEmpty()) {
            call.empty(200);
            return;
        }
        reply(call, GitRun.of(sandbox, "git add").at(path).args("add", "--").args(files).run(), 200);
    }

    private void commit(Call call, LocalSandbox sandbox) throws IOException {
        JsonNode body = call.json();
        String path = repository(sandbox, required(body, "path"));
        String author = required(body, "author");
        String email = required(body, "email");
        GitRun commit = GitRun.of(sandbox, "git commit").at(path).args("commit", "--quiet",
                        "-m", required(body, "message"))
                .env("GIT_AUTHOR_NAME", author).env("GIT_AUTHOR_EMAIL", email)
                .env("GIT_COMMITTER_NAME", author).env("GIT_COMMITTER_EMAIL", email);
        if (body.path("allow_empty").asBoolean(false)) {
            commit.args("--allow-empty");
        }
        GitRun.Result committed = commit.run();
        if (!committed.ok()) {
            GitFailure.reply(call, committed);
            return;
        }
        GitRun.Result head = GitRun.of(sandbox, "git rev-parse").at(path).args("rev-parse", "HEAD").run();
        if (!head.ok()) {
            GitFailure.reply(call, head);
            return;
        }
        call.json(200, Map.of("hash", head.output().strip()));
    }

    private void branches(Call call, LocalSandbox sandbox) throws IOException {
        String path = repository(sandbox, query(call, "path"));
        GitRun.Result result = GitRun.of(sandbox, "git branch")
                .at(path).args("branch", "--list", "--format=%(HEAD)%(refname:short)").run();
        if (!result.ok()) {
            GitFailure.reply(call, result);
            return;
        }
        List<String> branches = new ArrayList<>();
        String current = "";
        for (String line : result.output().split("\n")) {
            if (line.length() < 2 || line.startsWith("*(")) {
                continue;
            }
            branches.add(line.substring(1));
            if (line.charAt(0) == '*') {
                current = line.substring(1);
            }
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("branches", branches);
        if (!current.isEmpty()) {
            reply.put("current", current);
        }
        call.json(200, reply);
    }

    /** A route whose body names a repository and one more field, given to one git command after its words. */
    private void simple(Call call, LocalSandbox sandbox, int status, String op, String command, String option,
                        String field) throws IOException {
        JsonNode body = call.json();
        String path = repository(sandbox, required(body, "path"));
        reply(call, GitRun.of(sandbox, op).at(path).args(command, option, required(body, field)).run(), status);
    }

    private void checkout(Call call, LocalSandbox sandbox) throws IOException {
        JsonNode body = call.json();
        String path = repository(sandbox, required(body, "path"));
        // a branch or a commit, never a file, and no branch made from a remote one: as the daemon's git library
        reply(call, GitRun.of(sandbox, "git checkout")
                .at(path).args("checkout", "--no-guess", required(body, "branch"), "--").run(), 200);
    }

    private void pull(Call call, LocalSandbox sandbox) throws IOException {
        JsonNode body = call.json();
        String path = repository(sandbox, required(body, "path"));
        GitRun pull = GitRun.of(sandbox, "git pull").at(path).args("pull", "--ff-only", "--no-edit",
                        or(text(body, "remote"), "origin"))
                .credentials(GitRun.Credentials.of(text(body, "username"), text(body, "password")));
        String branch = text(body, "branch");
        if (branch != null && !branch.isEmpty()) {
            pull.args(branch);
        }
        reply(call, pull.run(), 200);
    }

    private void push(Call call, LocalSandbox sandbox) throws IOException {
        JsonNode body = call.json();
        String path = repository(sandbox, required(body, "path"));
        String branch = text(body, "branch");
        GitRun push = GitRun.of(sandbox, "git push").at(path).args("push")
                .credentials(GitRun.Credentials.of(text(body, "username"), text(body, "password")));
        if (body.path("set_upstream").asBoolean(false)) {
            push.args("--set-upstream");
        }
        push.args(or(text(body, "remote"), "origin"),
                branch == null || branch.isEmpty() ? "HEAD" : "refs/heads/" + branch + ":refs/heads/" + branch);
        reply(call, push.run(), 200);
    }

    private void history(Call call, LocalSandbox sandbox) throws IOException {
        report(call, GitRun.of(sandbox, "git log").at(repository(sandbox, query(call, "path")))
                .args(GitReports.LOG).run(), GitReports::history);
    }

    private void init(Call call, LocalSandbox sandbox) throws IOException {
        JsonNode body = call.json();
        String path = repository(sandbox, required(body, "path"));
        boolean bare = body.path("bare").asBoolean(false);
        Path host = sandbox.runtime.toHost(sandbox, path).orElseThrow();
        // git would initialise it again; the daemon's git library refuses
        if (Files.exists(host.resolve(bare ? "HEAD" : ".git"))) {
            call.toolboxError(409, "CONFLICT", "repository already exists at " + path);
            return;
        }
        GitRun init = GitRun.of(sandbox, "git init").args("init", "--quiet");
        if (bare) {
            init.args("--bare");
        }
        String branch = text(body, "initial_branch");
        if (branch != null && !branch.isEmpty()) {
            init.args("--initial-branch=" + branch);
        }
        reply(call, init.args("--", path).run(), 201);
    }

    /** Replies with the status when the command succeeded, otherwise with its failure. */
    void reply(Call call, GitRun.Result result, int status) throws IOException {
        if (result.ok()) {
            call.empty(status);
        } else {
            GitFailure.reply(call, result);
        }
    }

    /**
     * The repository path as the sandbox's commands see it; refused with 403 when it leads out of the sandbox's
     * home.
     */
    String repository(LocalSandbox sandbox, String path) {
        Path host = FilePaths.host(sandbox, path).orElseThrow(() -> new Call.BadRequest(403,
                "path " + path + " is outside the sandbox's home " + sandbox.runtime.home(sandbox)
                        + "; give a path inside it"));
        return sandbox.runtime.toSandbox(sandbox, host);
    }

    static String required(JsonNode body, String field) {
        String value = text(body, field);
        if (value == null || value.isEmpty()) {
            throw new Call.BadRequest(field + " is required");
        }
        return value;
    }

    static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode() || value.isBinary()) {
            throw new Call.BadRequest(field + " must be a string, was " + value);
        }
        return value.asText();
    }

    static List<String> strings(JsonNode body, String field) {
        JsonNode value = body.path(field);
        if (!value.isArray()) {
            throw new Call.BadRequest(field + " is required: a list of paths");
        }
        List<String> out = new ArrayList<>();
        value.forEach(v -> out.add(v.asText()));
        return out;
    }

    static String query(Call call, String name) {
        String value = call.params.get(name);
        if (value == null || value.isEmpty()) {
            throw new Call.BadRequest(name + " is required");
        }
        return value;
    }

    private static String or(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }
}
