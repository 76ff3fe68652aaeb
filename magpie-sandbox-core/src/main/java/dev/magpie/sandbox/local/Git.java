package dev.magpie.sandbox.local;

import dev.magpie.sandbox.CommandStartException;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.ProviderUnavailableException;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.ProcessRunner;
import dev.magpie.sandbox.internal.Redactor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Runs {@code git} (or {@code gh}) for clones: never prompts, bounded in time, failures carry redacted stderr. */
final class Git {

    /** No credential prompt may wait on a terminal nobody watches; a user's own ssh command is kept. */
    private static final Map<String, String> ENV = System.getenv("GIT_SSH_COMMAND") == null
            ? Map.of("GIT_TERMINAL_PROMPT", "0", "GCM_INTERACTIVE", "never", "GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
            : Map.of("GIT_TERMINAL_PROMPT", "0", "GCM_INTERACTIVE", "never");

    private final ProcessRunner runner;
    private final String program;
    private final String gh;
    private final Duration timeout;
    private final String owner;

    Git(ProcessRunner runner, String program, String gh, Duration timeout, String owner) {
        this.runner = runner;
        this.program = program;
        this.gh = gh;
        this.timeout = timeout;
        this.owner = owner;
    }

    /** Runs git in {@code directory}; a non-zero exit becomes an exception that says what {@code doing} was. */
    void run(Path directory, String doing, String... args) {
        check(exec(program, directory, args), doing);
    }

    /** Runs git and returns the result, whatever the exit code. */
    ExecResult exec(String tool, Path directory, String... args) {
        ExecRequest request = ExecRequest.builder(tool, args).env(ENV).timeout(timeout).build();
        try {
            return runner.run(request, directory.toFile(), System.getenv(), owner);
        } catch (CommandStartException e) {
            throw new ProviderUnavailableException("local", "'" + tool + "' could not be started (" + e.getMessage()
                    + "). Install it" + (tool.equals(program) ? ", or point " + LocalWorkspace.GIT_KEY + " at it," : "")
                    + " to clone repositories.");
        }
    }

    /** Throws with git's stderr, credentials redacted, unless the command succeeded. */
    static void check(ExecResult result, String doing) {
        if (result.succeeded()) {
            return;
        }
        String why = result.timedOut() ? "timed out after " + result.duration().toSeconds() + " s"
                : "exit code " + result.exitCode();
        String stderr = result.stderr().isBlank() ? result.stdoutTail(20) : result.stderrTail(20);
        throw new WorkspaceException(Redactor.redact("Failed " + doing + ": `" + result.commandLine() + "` ended with "
                + why + ":\n" + stderr.strip()));
    }

    String program() {
        return program;
    }

    /** The GitHub CLI program. */
    String gh() {
        return gh;
    }
}
