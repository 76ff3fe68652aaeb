package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.InvalidInputException;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceDestroyedException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * What every provider's workspace shares, composed into it: the destroyed state, the transcript, path resolution
 * and the checks that come before each operation. A provider's public type holds one and delegates to it.
 */
public final class WorkspaceCore {

    private final ProviderId provider;
    private final Workspace owner;
    private final UnaryOperator<String> resolver;
    private final TranscriptRecorder transcript = new TranscriptRecorder();
    private final AtomicBoolean destroyed = new AtomicBoolean();

    /**
     * @param owner    the workspace this core belongs to; read only for its id and working directory
     * @param resolver turns a user path into an absolute path inside the working directory, or refuses it
     */
    public WorkspaceCore(ProviderId provider, Workspace owner, UnaryOperator<String> resolver) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** A core whose paths resolve lexically against the owner's working directory. */
    public static WorkspaceCore lexical(ProviderId provider, Workspace owner) {
        return new WorkspaceCore(provider, owner, path -> PathRules.resolve(owner.workingDir(), path));
    }

    public ProviderId provider() {
        return provider;
    }

    public TranscriptRecorder transcript() {
        return transcript;
    }

    /** Values of environment variables whose names look secret never appear in the transcript. */
    public void addSecretsOf(Map<String, String> env) {
        transcript.addSecretsOf(env);
    }

    /** Checks the request, runs it and records it. */
    public ExecResult exec(ExecRequest request, Function<ExecRequest, ExecResult> run) {
        return exec(request, request, run);
    }

    /**
     * As {@link #exec(ExecRequest, Function)} for a command the library wrapped: runs {@code actual} and records
     * and returns its result as that of {@code shown}, the user's command.
     */
    public ExecResult exec(ExecRequest shown, ExecRequest actual, Function<ExecRequest, ExecResult> run) {
        Objects.requireNonNull(shown, "request");
        checkOpen();
        actual.subdirectory().ifPresent(resolver::apply);
        // known before the command runs: a background command's output is shown while it still runs
        transcript.addSecretsOf(shown.env());
        ExecResult ran = run.apply(actual);
        ExecResult result = shown == actual ? ran : new ExecResult(shown.command(), ran.exitCode(), ran.stdout(),
                ran.stderr(), ran.duration(), ran.timedOut(), ran.truncated());
        transcript.record(shown, result);
        return result.redactedBy(transcript::redact);
    }

    /** The absolute path inside the working directory for a user path, once the workspace is known to be open. */
    public String resolve(String path) {
        checkOpen();
        return resolver.apply(path);
    }

    /** As {@link #resolve}, refusing the working directory itself. */
    public String resolveForDelete(String path) {
        String resolved = resolve(path);
        if (resolved.equals(resolver.apply("."))) {
            throw new InvalidInputException("Refused to delete the working directory itself ('" + path
                    + "'); delete the entries inside it, or destroy the workspace.");
        }
        return resolved;
    }

    /** Runs {@code release} the first time only. */
    public void destroy(Runnable release) {
        if (destroyed.compareAndSet(false, true)) {
            release.run();
        }
    }

    public void checkOpen() {
        if (destroyed.get()) {
            throw new WorkspaceDestroyedException(provider.name(), owner.id());
        }
    }

    /** The owner's {@code toString}. */
    public String describe() {
        return provider + " workspace " + owner.id() + " at " + owner.workingDir();
    }
}
