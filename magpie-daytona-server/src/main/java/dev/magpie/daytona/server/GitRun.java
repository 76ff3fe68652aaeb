package dev.magpie.daytona.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code git} command run inside a sandbox through its runtime, so that it sees the sandbox's paths and
 * configuration whichever runtime serves it. Git never prompts, runs no hooks (the daemon's git library runs
 * none either) and trusts every repository of the sandbox (a Docker sandbox's files belong to another user than
 * its processes). Credentials travel on the command's stdin to an inline credential helper: never in an argument,
 * an environment, a URL, a file or an error message.
 */
final class GitRun {

    /** How long one git command may run before it is killed and the request fails. */
    static final Duration TIMEOUT = Duration.ofMinutes(5);

    /** What the command printed (stdout and stderr merged) and how it exited. */
    record Result(String op, int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    /** Basic credentials for a remote; either part may be empty. */
    record Credentials(String username, String password) {
        /**
         * Credentials that a request carried only when it set both, as the daemon requires.
         *
         * @throws Call.BadRequest when either holds a line break or NUL (git's credential lines could not carry it)
         */
        static Credentials of(String username, String password) {
            if (username == null || password == null) {
                return null;
            }
            if ((username + password).matches("(?s).*[\n\r\0].*")) {
                throw new Call.BadRequest("username and password must not contain newline or NUL characters");
            }
            return new Credentials(username, password);
        }

        String redact(String text) {
            // the password first: a username inside the password would otherwise leave its tail readable
            String out = password.isEmpty() ? text : text.replace(password, "***");
            return username.isEmpty() ? out : out.replace(username, "***");
        }
    }

    /**
     * Reads the two lines from descriptor 3, the command's input left unread (git and its remote helper inherit
     * it), only when git asks ({@code get}): the credentials are never in an environment, which the sandbox's
     * processes, run as the same user, could read for as long as git runs.
     */
    private static final String HELPER = "!f() { test \"$1\" = get || exit 0; IFS= read -r u <&3; IFS= read -r p <&3; "
            + "printf 'username=%s\\npassword=%s\\n' \"$u\" \"$p\"; }; f";

    private final LocalSandbox sandbox;
    private final String op;
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new HashMap<>();
    private Credentials credentials;
    private String stdin = "";

    private GitRun(LocalSandbox sandbox, String op) {
        this.sandbox = sandbox;
        this.op = op;
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("LC_ALL", "C");
    }

    /** A command named {@code op} in messages (e.g. "git clone"). */
    static GitRun of(LocalSandbox sandbox, String op) {
        return new GitRun(sandbox, op);
    }

    /**
     * Runs in this repository (a path as the sandbox's commands see it) and, as the daemon's git library, never
     * in a repository above it.
     */
    GitRun at(String repository) {
        int slash = repository.lastIndexOf('/');
        env.put("GIT_CEILING_DIRECTORIES", slash <= 0 ? "/" : repository.substring(0, slash));
        return args("-C", repository);
    }

    GitRun args(String... words) {
        args.addAll(List.of(words));
        return this;
    }

    GitRun args(List<String> words) {
        args.addAll(words);
        return this;
    }

    GitRun env(String name, String value) {
        env.put(name, value);
        return this;
    }

    GitRun stdin(String text) {
        stdin = text;
        return this;
    }

    /**
     * Uses these credentials for the remote instead of any configured helper; null for none. They take the
     * command's input: git itself then reads none, and {@link #stdin} is not sent.
     */
    GitRun credentials(Credentials value) {
        credentials = value;
        return this;
    }

    /** Runs the command to its end and returns its output, credentials redacted. */
    Result run() throws IOException {
        StringBuilder line = new StringBuilder();
        String input = stdin;
        if (credentials != null) {
            line.append("exec 3<&0 </dev/null; ");
            input = credentials.username() + "\n" + credentials.password() + "\n";
        }
        line.append("exec git -c safe.directory='*' -c core.hooksPath=/dev/null");
        if (credentials != null) {
            line.append(" -c credential.helper= -c ").append(quote("credential.helper=" + HELPER));
        }
        for (String arg : args) {
            line.append(' ').append(quote(arg));
        }
        Path output = Files.createTempFile(Files.createDirectories(sandbox.logs()), "git-", ".out");
        try {
            Process process = sandbox.exec(line.toString(), null, env, true, output);
            if (!finish(process, input)) {
                return new Result(op, -1, op + " did not finish within " + TIMEOUT.toSeconds()
                        + " s and was stopped");
            }
            String text = new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
            return new Result(op, process.exitValue(), credentials == null ? text : credentials.redact(text));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Feeds the input and waits for the end; false when the timeout passed and the command was killed. */
    private boolean finish(Process process, String input) throws IOException {
        try (OutputStream in = process.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // git exited before reading its input; its output says why
        }
        try {
            if (process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                return true;
            }
            sandbox.runtime.kill(sandbox, process);
            return false;
        } catch (InterruptedException e) {
            sandbox.runtime.kill(sandbox, process);
            Thread.currentThread().interrupt();
            throw new IOException(op + " was interrupted", e);
        }
    }

    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
