package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.Preparation;
import dev.magpie.sandbox.PreparationException;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The prepared states of one provider in this JVM, by key: each prepared once, by the first workspace that needs it,
 * while the others that need it wait. A failed preparation ({@link PreparationException}) is remembered, never
 * retried: every later workspace gets it again. Any other failure (the engine, a clone, an {@link Error}) fails the
 * workspaces waiting for it, and the next one prepares again.
 *
 * @param <T> what a prepared state is to its provider (a directory, an image)
 */
public final class PreparedStates<T> {

    private final Map<String, CompletableFuture<T>> states = new ConcurrentHashMap<>();

    /** The state of {@code key}, prepared by {@code prepare} unless it was (or is being) prepared already. */
    public T get(String key, Supplier<T> prepare) {
        CompletableFuture<T> mine = new CompletableFuture<>();
        CompletableFuture<T> existing = states.putIfAbsent(key, mine);
        if (existing != null) {
            try {
                return existing.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof PreparationException failed) {
                    throw new PreparationException(failed); // this workspace's own stack, the first failure as cause
                }
                if (e.getCause() instanceof RuntimeException failed) {
                    throw failed;
                }
                throw new WorkspaceException("The preparation this workspace waited for failed with " + e.getCause()
                        + " in another workspace. A later workspace prepares it again; see the cause for what to fix.",
                        e.getCause());
            }
        }
        try {
            T state = prepare.get();
            mine.complete(state);
            return state;
        } catch (PreparationException e) {
            mine.completeExceptionally(e);
            throw e;
        } catch (Throwable e) { // an Error too: a future left incomplete would hold every waiter forever
            states.remove(key, mine); // not the command's failure (the engine, a clone): a later workspace tries again
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /** Forgets every state and returns those that were prepared, for their provider to remove. */
    public List<T> clear() {
        List<T> prepared = new ArrayList<>();
        for (CompletableFuture<T> future : states.values()) {
            T state = future.isDone() && !future.isCompletedExceptionally() ? future.join() : null;
            if (state != null) {
                prepared.add(state);
            }
        }
        states.clear();
        return prepared;
    }

    /** A short hex digest of the parts and of the environment, which names a prepared state. */
    public static String key(Map<String, String> env, String... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                digest.update((part == null ? "-" : part).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            new TreeMap<>(env).forEach((name, value) -> {
                digest.update((name + "=" + value).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            });
            return HexFormat.of().formatHex(digest.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Whether prepared states outlive this JVM ({@link Preparation#KEEP_KEY}). */
    public static boolean keep(Settings settings) {
        return settings.getBoolean(Preparation.KEEP_KEY, false);
    }

    /**
     * Runs the preparation command in a workspace made for it.
     *
     * @throws PreparationException with the workspace's transcript when it does not succeed
     */
    public static void run(Workspace workspace, String command, Settings settings, String where) {
        Duration timeout = settings.getDuration(Preparation.TIMEOUT_KEY, Duration.ofMinutes(30));
        ExecResult result = workspace.exec(ExecRequest.builder("sh", "-c", command).timeout(timeout).build());
        if (!result.succeeded()) {
            throw new PreparationException("The preparation `" + workspace.transcript().redact(command) + "` of "
                    + where + " " + (result.timedOut() ? "timed out after " + timeout.toMillis() + " ms ("
                    + Preparation.TIMEOUT_KEY + ")" : "ended with exit code " + result.exitCode())
                    + "; every workspace that needs it fails with this, and it is not run again in this JVM. Fix the"
                    + " command or the source" + (result.timedOut() ? ", or raise " + Preparation.TIMEOUT_KEY
                    + " if it needs longer," : "") + " and run again. Its transcript:", workspace.transcript().render());
        }
    }
}
