package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.CommandStartException;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.ProviderUnavailableException;
import dev.magpie.sandbox.WorkspaceException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Runs {@code git} (or {@code gh}) on this machine, the one way the library does: never prompts, bounded in time,
 * failures carry redacted stderr.
 */
public final class HostGit {

    /** No credential prompt may wait on a terminal nobody watches; a user's own ssh command is kept. */
    private static final Map<String, String> ENV = System.getenv("GIT_SSH_COMMAND") == null
            ? Map.of("GIT_TERMINAL_PROMPT", "0", "GCM_INTERACTIVE", "never", "GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
            : Map.of("GIT_TERMINAL_PROMPT", "0", "GCM_INTERACTIVE", "never");

    private final ProcessRunner runner;
    private final String program;
    private final String gh;
    private final Duration timeout;
    private final String owner;
    private final ProviderId provider;

    /**
     * @param owner    marks the processes started, so that the runner can end them with their workspace
     * @param provider the provider that needs git, named when git cannot be started
     */
    public HostGit(ProcessRunner runner, String program, String gh, Duration timeout, String owner,
                   ProviderId provider) {
        this.runner = runner;
        this.program = program;
        this.gh = gh;
        this.timeout = timeout;
        this.owner = owner;
        this.provider = provider;
    }

    /** Git on the PATH, with a runner of its own, for a provider that otherwise runs nothing on this machine. */
    public static HostGit standalone(Duration timeout, ProviderId provider) {
        // One owner for them all: the runner keeps a process group per owner, and these never end one.
        return new HostGit(SharedRunner.INSTANCE, "git", "gh", timeout, STANDALONE_OWNER, provider);
    }

    /** Runs git in {@code directory}; a non-zero exit becomes an exception that says what {@code doing} was. */
    public void run(Path directory, String doing, String... args) {
        check(exec(program, directory, args), doing);
    }

    /** Runs git and returns the result, whatever the exit code. */
    public ExecResult exec(String tool, Path directory, String... args) {
        ExecRequest request = ExecRequest.builder(tool, args).env(ENV).timeout(timeout).build();
        try {
            return runner.run(request, directory.toFile(), System.getenv(), owner);
        } catch (CommandStartException e) {
            throw new ProviderUnavailableException(provider, "'" + tool + "' could not be started on this machine ("
                    + e.getMessage() + "). Install it" + (tool.equals(program) ? ", or point magpie.local.git at it," : "")
                    + " to clone repositories.");
        }
    }

    /** Throws with git's stderr, credentials redacted, unless the command succeeded. */
    public static void check(ExecResult result, String doing) {
        if (result.succeeded()) {
            return;
        }
        String why = result.timedOut() ? "timed out after " + result.duration().toSeconds() + " s"
                : "exit code " + result.exitCode();
        String stderr = result.stderr().isBlank() ? result.stdoutTail(20) : result.stderrTail(20);
        throw new WorkspaceException(Redactor.redact("Failed " + doing + ": `" + result.commandLine() + "` ended with "
                + why + ":\n" + stderr.strip()));
    }

    public String program() {
        return program;
    }

    /** The GitHub CLI program. */
    public String gh() {
        return gh;
    }

    private static final String STANDALONE_OWNER = "magpie-host-git";

    /** One runner for the standalone instances, created on first use; its threads are pooled daemons. */
    private static final class SharedRunner {
        static final ProcessRunner INSTANCE = new ProcessRunner(Duration.ofMillis(200));
    }
}
