package dev.magpie.daytona.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The toolbox's git configuration routes: one value read or set (global by default, local to a repository, or
 * system), the user's name and email, and credentials stored for a host. Global configuration is the sandbox
 * user's, in the sandbox's home.
 */
final class ToolboxGitConfig {

    private ToolboxGitConfig() {
    }

    static void handle(Call call, LocalSandbox sandbox, String route, ToolboxGit git) throws IOException {
        if (call.method.equals("GET")) {
            get(call, sandbox, git);
            return;
        }
        JsonNode body = call.json();
        switch (route) {
            case "/git/config" -> git.reply(call, set(sandbox, git, body, ToolboxGit.required(body, "key"),
                    value(body)), 200);
            case "/git/config/user" -> {
                GitRun.Result name = set(sandbox, git, body, "user.name", ToolboxGit.required(body, "name"));
                git.reply(call, name.ok() ? set(sandbox, git, body, "user.email", ToolboxGit.required(body, "email"))
                        : name, 200);
            }
            default -> authenticate(call, sandbox, git, body);
        }
    }

    private static void get(Call call, LocalSandbox sandbox, ToolboxGit git) throws IOException {
        String key = ToolboxGit.query(call, "key");
        GitRun.Result result = config(sandbox, git, call.params.get("scope"), call.params.get("path"))
                .args("--get", checkedKey(key)).run();
        Map<String, Object> reply = new HashMap<>();
        if (result.ok()) {
            reply.put("value", result.output().endsWith("\n")
                    ? result.output().substring(0, result.output().length() - 1) : result.output());
        } else if (result.exitCode() != 1) {
            // 1 means the key is not set: no value, as the daemon answers
            GitFailure.reply(call, result);
            return;
        }
        call.json(200, reply);
    }

    private static GitRun.Result set(LocalSandbox sandbox, ToolboxGit git, JsonNode body, String key, String value)
            throws IOException {
        if ("system".equals(ToolboxGit.text(body, "scope")) && !(sandbox.runtime instanceof DockerRuntime)) {
            // the sandbox's commands see this machine's system files (read-only in namespaces): not the sandbox's
            throw new Call.BadRequest(403, "the system git configuration of a sandbox without a container is this "
                    + "machine's, which the server does not change; use the global or local scope");
        }
        return config(sandbox, git, ToolboxGit.text(body, "scope"), ToolboxGit.text(body, "path"))
                .args(checkedKey(key), value).run();
    }

    /** Stores the credentials with git's store helper, as the daemon does: they stay in the sandbox's home. */
    private static void authenticate(Call call, LocalSandbox sandbox, ToolboxGit git, JsonNode body)
            throws IOException {
        String username = ToolboxGit.required(body, "username");
        String password = ToolboxGit.required(body, "password");
        String host = ToolboxGit.text(body, "host");
        String protocol = ToolboxGit.text(body, "protocol");
        host = host == null || host.isEmpty() ? "github.com" : host;
        protocol = protocol == null || protocol.isEmpty() ? "https" : protocol;
        for (String field : new String[] {username, password, host, protocol}) {
            if (field.matches("(?s).*[\n\r\0].*")) {
                throw new Call.BadRequest("credential fields must not contain newline or NUL characters");
            }
        }
        GitRun.Result helper = GitRun.of(sandbox, "git config")
                .args("config", "--global", "credential.helper", "store").run();
        if (!helper.ok()) {
            GitFailure.reply(call, helper);
            return;
        }
        GitRun.Credentials secret = new GitRun.Credentials(username, password);
        GitRun.Result approved = GitRun.of(sandbox, "git credential approve").args("credential", "approve")
                .stdin("protocol=" + protocol + "\nhost=" + host + "\nusername=" + username + "\npassword="
                        + password + "\n\n").run();
        git.reply(call, new GitRun.Result(approved.op(), approved.exitCode(), secret.redact(approved.output())),
                200);
    }

    private static String value(JsonNode body) {
        String value = ToolboxGit.text(body, "value");
        if (value == null) {
            throw new Call.BadRequest("value is required");
        }
        return value;
    }

    /** A git config command on the file of a scope: global (the default), local to a repository, or system. */
    private static GitRun config(LocalSandbox sandbox, ToolboxGit git, String scope, String path) {
        GitRun config = GitRun.of(sandbox, "git config");
        switch (scope == null || scope.isEmpty() ? "global" : scope) {
            case "global":
                return config.args("config", "--global");
            case "local":
                if (path == null || path.isEmpty()) {
                    throw new Call.BadRequest("path is required when scope is local");
                }
                return config.at(git.repository(sandbox, path)).args("config", "--local");
            case "system":
                return config.args("config", "--system");
            default:
                throw new Call.BadRequest("unsupported config scope '" + scope + "': use global, local or system");
        }
    }

    /** A key as the daemon accepts it: section.name or section.subsection.name. */
    private static String checkedKey(String key) {
        int first = key.indexOf('.');
        if (first <= 0 || key.startsWith("-") || key.lastIndexOf('.') == key.length() - 1) {
            throw new Call.BadRequest("invalid config key '" + key + "': use section.name or "
                    + "section.subsection.name");
        }
        return key;
    }
}
