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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One sandbox of the local server: a directory of this machine, the attributes it was created with, and its
 * sessions. Its state follows the clock: {@code creating} for the first half of the start delay, then
 * {@code starting}, then {@code started} (or {@code error} when a start fault hit it); a sandbox that was stopped
 * (or archived) stays so until started again, which takes the start delay in {@code starting}.
 */
final class LocalSandbox {

    final String id;
    final String name;
    final String snapshot;
    final String user;
    final String target;
    final Map<String, String> env;
    /** Replaced whole by {@code PUT /sandbox/{id}/labels}. */
    volatile Map<String, String> labels;
    final List<Map<String, Object>> volumes;
    /** autoStopInterval, autoArchiveInterval, autoDeleteInterval: minutes, changed by their routes. */
    final Map<String, Object> intervals;
    final Path directory;
    /** The home, opened when the sandbox is made, before any of its processes runs: what the file routes serve. */
    final SafeRoot files;
    final SandboxRuntime runtime;
    final Instant createdAt;
    private final String errorReason;
    /** Until then the sandbox is {@code creating}, then {@code starting} until {@link #startedAtNanos}. */
    private volatile long creatingUntilNanos;
    private volatile long startedAtNanos;
    /** {@code stopped} or {@code archived} while the sandbox is not running; null while it runs. */
    private volatile String halted;
    /** The server clock's reading when the sandbox was last used, or halted: what auto-stop and auto-delete count from. */
    private volatile long lastEventNanos;
    private volatile boolean destroying;
    final Map<String, Session> sessions = new ConcurrentHashMap<>();
    /** What {@code POST /env} changed: every runtime starts its commands through {@link DaemonEnv#wrap}. */
    final DaemonEnv daemonEnv = new DaemonEnv();
    final Map<String, PtySession> ptys = new ConcurrentHashMap<>();
    /** Every process {@link #exec} started that still runs: what a stop or a delete kills. */
    private final Set<Process> live = ConcurrentHashMap.newKeySet();

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
        this.intervals = new ConcurrentHashMap<>(intervals);
        this.directory = directory;
        this.files = open(directory);
        this.runtime = runtime;
        this.createdAt = Instant.now();
        long now = System.nanoTime();
        this.creatingUntilNanos = now + startDelay.toNanos() / 2;
        this.startedAtNanos = now + startDelay.toNanos();
        this.lastEventNanos = now;
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
        String h = halted;
        if (h != null) {
            return h;
        }
        long now = System.nanoTime();
        if (now - creatingUntilNanos < 0) {
            return "creating";
        }
        if (now - startedAtNanos < 0) {
            return "starting";
        }
        return errorReason == null ? "started" : "error";
    }

    /** The {@link System#nanoTime()} at which the sandbox turns (or turned) {@code started}. */
    long startedAtNanos() {
        return startedAtNanos;
    }

    /** The {@link System#nanoTime()} at which the sandbox turns (or turned) from {@code creating} to {@code starting}. */
    long creatingUntilNanos() {
        return creatingUntilNanos;
    }

    /** Halts the sandbox as {@code stopped} or {@code archived}; its processes are the caller's to end. */
    void halt(String state, long nowNanos) {
        halted = state;
        lastEventNanos = nowNanos;
    }

    /** Starts a halted sandbox again: {@code starting} for the delay, then {@code started}. */
    void restart(Duration startDelay, long nowNanos) {
        creatingUntilNanos = nowNanos;
        startedAtNanos = nowNanos + startDelay.toNanos();
        lastEventNanos = nowNanos;
        halted = null;
    }

    /** Records a use of the sandbox, which puts off its auto-stop. */
    void touch(long nowNanos) {
        lastEventNanos = nowNanos;
    }

    long lastEventNanos() {
        return lastEventNanos;
    }

    boolean isStarted() {
        return state().equals("started");
    }

    void markDestroying() {
        destroying = true;
    }

    /**
     * Starts a command through the runtime, as {@link SandboxRuntime#exec}, and keeps it to be killed with the
     * sandbox. A command that a request started while the sandbox was being stopped or deleted is killed at
     * once: nothing outlives the sandbox's halt, whichever comes first.
     */
    Process exec(String command, String cwd, Map<String, String> env, boolean mergeStderr, Path output)
            throws IOException {
        DaemonEnv.check(this.env);
        DaemonEnv.check(env);
        Process process = runtime.exec(this, command, cwd, env, mergeStderr, output);
        synchronized (this) {
            if (halted != null || destroying) {
                runtime.kill(this, process);
                throw new IOException("the sandbox is " + state() + "; start it again to run commands");
            }
            live.add(process);
        }
        process.onExit().thenRun(() -> live.remove(process));
        return process;
    }

    /**
     * Kills every process of the sandbox, its sessions' and terminals' too. The caller halts the sandbox or marks
     * it {@code destroying} under the sandbox's lock, as this does, so a command {@link #exec} starts meanwhile
     * is killed either here or there.
     */
    synchronized void killAll() {
        sessions.values().forEach(Session::kill);
        sessions.clear();
        ptys.values().forEach(PtySession::kill);
        ptys.clear();
        live.forEach(p -> runtime.kill(this, p));
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
        out.put("desiredState", destroying ? "destroyed" : halted != null ? halted : "started");
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
