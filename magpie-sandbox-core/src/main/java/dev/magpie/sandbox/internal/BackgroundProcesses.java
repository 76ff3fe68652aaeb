package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.BackgroundProcess;
import dev.magpie.sandbox.ExecRequest;
import java.net.URI;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * The background processes of one workspace, written once for every provider over its {@link ServiceHost}: each
 * runs as a foreground command on a thread of its own, its processes carry {@value #MARKER}{@code =<id>} so that
 * stop can signal them all, and {@link #stopAll()} kills the ones still running when the workspace is destroyed.
 */
public final class BackgroundProcesses {

    /** The variable every process of a background command carries, with a value of its own. */
    public static final String MARKER = "MAGPIE_BACKGROUND";

    private final AtomicInteger threads = new AtomicInteger();

    private final ServiceHost host;
    private final UnaryOperator<String> redaction;
    private final Set<BackgroundRun> running = ConcurrentHashMap.newKeySet();

    public BackgroundProcesses(ServiceHost host, UnaryOperator<String> redaction) {
        this.host = host;
        this.redaction = redaction;
    }

    /** Starts the request's command in the background. */
    public BackgroundProcess start(ExecRequest request) {
        BackgroundRun run = new BackgroundRun(request, host, MARKER + "=" + UUID.randomUUID(), redaction);
        running.add(run);
        run.begin("magpie-background-" + threads.incrementAndGet(), () -> running.remove(run));
        return run;
    }

    /** Where this JVM reaches the workspace's port. */
    public URI endpoint(int port) {
        return host.endpoint(port);
    }

    /**
     * Kills every background process still running, without a grace period; for destroy, which releases the
     * workspace whatever this throws.
     *
     * @throws dev.magpie.sandbox.WorkspaceException the first failure, the others suppressed in it, once every
     *                                               process was tried
     */
    public void stopAll() {
        RuntimeException failure = null;
        for (BackgroundRun run : Set.copyOf(running)) {
            try {
                run.kill();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
