package dev.magpie.daytona.server;

import dev.magpie.sandbox.internal.files.SafeRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One sandbox of the local server: a directory of this machine, the attributes it was created with, and its
 * sessions. Its state follows the clock: {@code creating} for the first half of the start delay, then
 * {@code starting}, then {@code started} (or {@code error} when a start fault hit it).
 */
final class LocalSandbox {

    final String id;
    final String name;
    final String snapshot;
    final String user;
    final String target;
    final Map<String, String> env;
    final Map<String, String> labels;
    final List<Map<String, Object>> volumes;
    final Map<String, Object> intervals;
    final Path directory;
    /** The home, opened when the sandbox is made, before any of its processes runs: what the file routes serve. */
    final SafeRoot files;
    final SandboxRuntime runtime;
    final Instant createdAt;
    private final long createdNanos;
    private final long startDelayNanos;
    private final String errorReason;
    private volatile boolean destroying;
    final Map<String, Session> sessions = new ConcurrentHashMap<>();
    /** What {@code POST /env} changed: every runtime starts its commands through {@link DaemonEnv#wrap}. */
    final DaemonEnv daemonEnv = new DaemonEnv();
    /** Processes of {@code process/execute} still running, killed when the sandbox is deleted. */
    final java.util.Set<Process> executing = ConcurrentHashMap.newKeySet();

    LocalSandbox(String id, String name, String snapshot, String user, String target, Map<String, String> env,
                 Map<String, String> labels, List<Map<String, Object>> volumes, Map<String, Object> intervals,
                 Path directory, SandboxRuntime runtime, Duration startDelay, String errorReason) {
        this.id = id;
        this.name = name;
        this.snapshot = snapshot;
        this.user = user;
        this.target = target;
        this.env = Map.copyOf(env);
        this.labels = Map.copyOf(labels);
        this.volumes = List.copyOf(volumes);
        this.intervals = Map.copyOf(intervals);
        this.directory = directory;
        this.files = open(directory);
        this.runtime = runtime;
        this.createdAt = Instant.now();
        this.createdNanos = System.nanoTime();
        this.startDelayNanos = startDelay.toNanos();
        this.errorReason = errorReason;
    }

    /** A directory of this machine beside the home, for command output kept on disk; made on first use. */
    Path logs() {
        return directory.resolveSibling(".logs");
    }

    private static SafeRoot open(Path home) {
        try {
            return SafeRoot.open(home.toRealPath());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not open the sandbox home " + home, e);
        }
    }

    String state() {
        if (destroying) {
            return "destroying";
        }
        long elapsed = System.nanoTime() - createdNanos;
        if (elapsed < startDelayNanos / 2) {
            return "creating";
        }
        if (elapsed < startDelayNanos) {
            return "starting";
        }
        return errorReason == null ? "started" : "error";
    }

    /** The {@link System#nanoTime()} at which the sandbox turns (or turned) {@code started}. */
    long startedAtNanos() {
        return createdNanos + startDelayNanos;
    }

    boolean isStarted() {
        return state().equals("started");
    }

    void markDestroying() {
        destroying = true;
    }

    /** The {@code Sandbox} schema of api.json. */
    Map<String, Object> toJson(String toolboxProxyUrl) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("organizationId", DaytonaServer.ORGANIZATION_ID);
        out.put("name", name);
        out.put("snapshot", snapshot);
        out.put("user", user);
        out.put("env", env);
        out.put("labels", labels);
        out.put("public", false);
        out.put("networkBlockAll", false);
        out.put("target", target);
        out.put("cpu", 1);
        out.put("gpu", 0);
        out.put("memory", 1);
        out.put("disk", 3);
        String state = state();
        out.put("state", state);
        out.put("desiredState", destroying ? "destroyed" : "started");
        if (state.equals("error")) {
            out.put("errorReason", errorReason);
            out.put("recoverable", false);
        }
        out.putAll(intervals);
        out.put("volumes", volumes);
        out.put("createdAt", createdAt.toString());
        out.put("updatedAt", Instant.now().toString());
        out.put("sandboxClass", "container");
        out.put("daemonVersion", DaytonaServer.DAEMON_VERSION);
        out.put("runnerId", "local");
        out.put("toolboxProxyUrl", toolboxProxyUrl);
        return out;
    }
}
