package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.CommandStartException;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.OutputListener;
import dev.magpie.sandbox.WorkspaceException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs local processes without a shell: environment, directory, stdin, timeout, bounded output, live lines.
 *
 * <p>Where the machine allows it, every command runs in a freezer cgroup of its own inside one per owner (see
 * {@link Cgroup}), which holds every process it starts whatever the process does to its environment, session or
 * parentage. A timeout kills the command's group, and {@link #killOwned} the owner's. Elsewhere, and in addition,
 * processes are found through {@code /proc} by their markers (see {@link ProcessTree}). A contained launcher
 * ({@link #runContained}: a sandbox with a process namespace of its own) needs neither: killing it ends them all.
 *
 * <p>A timeout kills the whole process tree. Once the command's own process has ended,
 * its pipes are drained for a short grace period only, so a background grandchild that keeps stdout open does
 * not hold the caller. Exit code {@link ExecResult#KILLED} stands for a signal death: Java reports those as
 * 128 + signal, which cannot be told apart from an explicit {@code exit 129..192}, so that whole range maps to
 * {@link ExecResult#KILLED}, as a shell's {@code $?} would suggest.
 *
 * <p>One runner serves any number of threads; its reader threads are pooled daemons.
 */
public final class ProcessRunner {

    /** Every process started carries {@code MAGPIE_EXEC=<token>}; see {@link ProcessTree}. */
    public static final String EXEC_MARKER = "MAGPIE_EXEC";
    /** Processes started for one owner (a workspace) also carry {@code MAGPIE_OWNER=<token>}. */
    public static final String OWNER_MARKER = "MAGPIE_OWNER";
    /** And every process carries the JVM that started it, {@code MAGPIE_JVM=<pid>@<startMillis>}. */
    public static final String JVM_MARKER = "MAGPIE_JVM";

    private static final JvmIdentity SELF = JvmIdentity.current();
    private static final java.util.concurrent.atomic.AtomicBoolean SWEPT = new java.util.concurrent.atomic.AtomicBoolean();

    private static final int BUFFER = 64 * 1024;

    private final ExecutorService readers;
    /** How long readers may lag behind a command whose processes have all ended. */
    private static final Duration LATE_READERS = Duration.ofSeconds(30);

    private final Duration drainGrace;
    private final Optional<Cgroups> cgroups = Cgroups.forThisJvm();
    private final Map<String, OwnerGroups> ownerGroups = new ConcurrentHashMap<>();

    /**
     * A runner; where there are no cgroups, the first in a JVM kills the processes that a killed JVM left
     * running, those that kept its marker (see {@link Cgroups} for the sweep where there are).
     */
    public ProcessRunner(Duration drainGrace) {
        this.drainGrace = drainGrace;
        if (cgroups.isEmpty() && SWEPT.compareAndSet(false, true)) {
            ProcessTree.killWhere(JVM_MARKER, label -> JvmIdentity.parse(SELF.host(), label)
                    .map(starter -> !starter.isAlive()).orElse(false));
        }
        AtomicInteger count = new AtomicInteger();
        this.readers = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "magpie-exec-io-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Runs the request's command in {@code directory} with exactly {@code baseEnv} plus the request's variables:
     * nothing else of this JVM's environment is inherited.
     *
     * @param owner a token marking every process started, so that {@link #killOwned} can end them all
     * @throws CommandStartException when the program cannot be started
     */
    public ExecResult run(ExecRequest request, File directory, Map<String, String> baseEnv, String owner) {
        Map<String, String> environment = new java.util.HashMap<>(baseEnv);
        environment.putAll(request.env());
        return run(request, request.command(), directory, environment, owner);
    }

    /**
     * Starts a launcher that runs the request's command in a sandbox holding every process the command starts
     * (its own PID namespace, ending with the launcher), with exactly the launcher's environment: the request's
     * variables are the launcher's to pass on, and never act on it. A timeout kills the launcher, which takes the
     * sandbox with it; no per-command group and no {@code /proc} scan is needed. The result names the request's
     * command.
     *
     * @throws CommandStartException when the launcher cannot be started
     */
    public ExecResult runContained(ExecRequest request, Launcher launcher, String owner) {
        ProcessBuilder builder = new ProcessBuilder(launcher.command()).directory(new File("/"));
        builder.environment().clear();
        builder.environment().putAll(launcher.env());
        builder.environment().put(OWNER_MARKER, owner);
        builder.environment().put(JVM_MARKER, SELF.label());
        return run(request, builder, owner, launcher.starter(), launcher.stdin().orElse(new byte[0]));
    }

    /**
     * A launcher for {@link #runContained}: its command (started in {@code /}), environment, bytes to write to its
     * stdin in place of the request's (the request then has none), and what starts it (null: this thread).
     */
    public record Launcher(java.util.List<String> command, Map<String, String> env, Optional<byte[]> stdin,
                           Starter starter) {
    }

    /** Starts a launcher's process somewhere of its choosing (a thread that lives in a cgroup). */
    @FunctionalInterface
    public interface Starter {
        Process start(ProcessBuilder builder) throws IOException;
    }

    private ExecResult run(ExecRequest request, java.util.List<String> command, File directory,
                           Map<String, String> environment, String owner) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory);
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.environment().put(OWNER_MARKER, owner);
        builder.environment().put(JVM_MARKER, SELF.label());
        return run(request, builder, owner, null, null);
    }

    /**
     * Runs a prepared builder: a contained launcher ({@code launcherStdin} not null) through {@code starter}, any
     * other command in a group of its own.
     */
    private ExecResult run(ExecRequest request, ProcessBuilder builder, String owner, Starter starter,
                           byte[] launcherStdin) {
        boolean contained = launcherStdin != null;
        String execToken = UUID.randomUUID().toString();
        builder.environment().put(EXEC_MARKER, execToken);
        // Opened first: a stdin file that cannot be read fails the call before anything runs.
        InputStream input = request.hasStdin() ? request.openStdin() : null;
        long start = System.nanoTime();
        Cgroup group = contained ? null : group(owner, execToken);
        Process process;
        try {
            process = contained && starter != null ? starter.start(builder)
                    : group != null ? group.start(builder) : builder.start();
        } catch (IOException e) {
            closeQuietly(input);
            release(owner, group);
            throw new CommandStartException(request.command().get(0), reason(e), e);
        }
        OutputCollector out = new OutputCollector(request.outputLimit(), OutputListener.Channel.STDOUT,
                request.listener());
        OutputCollector err = new OutputCollector(request.outputLimit(), OutputListener.Channel.STDERR,
                request.listener());
        CompletableFuture<Void> outDone = CompletableFuture.runAsync(() -> pump(process.getInputStream(), out), readers);
        CompletableFuture<Void> errDone = CompletableFuture.runAsync(() -> pump(process.getErrorStream(), err), readers);
        if (contained && launcherStdin.length > 0) {
            writeLauncherStdin(process, launcherStdin);
        } else {
            feedStdin(process, input);
        }
        boolean timedOut = false;
        try {
            if (request.timeout().isPresent()) {
                if (!process.waitFor(request.timeout().get().toNanos(), TimeUnit.NANOSECONDS)) {
                    timedOut = true;
                    kill(process, group, contained ? null : execToken);
                }
            }
            int code = process.waitFor();
            awaitDrain(CompletableFuture.allOf(outDone, errDone), group, contained ? null : execToken);
            release(owner, group);
            out.close();
            err.close();
            int exitCode = timedOut ? ExecResult.KILLED : ExitCodes.of(code);
            return new ExecResult(request.command(), exitCode, out.text(), err.text(),
                    Duration.ofNanos(System.nanoTime() - start), timedOut, out.truncated() || err.truncated());
        } catch (InterruptedException e) {
            kill(process, group, contained ? null : execToken);
            Thread.currentThread().interrupt();
            throw new WorkspaceException("Interrupted while running " + request.command().get(0)
                    + "; its processes were killed.", e);
        }
    }

    /**
     * Kills every process still running that was started for {@code owner}, however far it wandered: its cgroup
     * where there is one, then those still carrying its marker. Where there are no cgroups, also those working in
     * {@code directory} (when given: a directory the owner alone uses), the only trace left of a process that
     * cleared its environment and left its parent.
     */
    public void killOwned(String owner, Path directory) {
        OwnerGroups groups = ownerGroups.remove(owner);
        if (groups != null) {
            groups.all.remove();
        }
        ProcessTree.killMarked(OWNER_MARKER + "=" + owner);
        if (directory != null && cgroups.isEmpty()) {
            ProcessTree.killWorkingIn(directory);
        }
    }

    /** An empty group for one command inside its owner's; null where there are no cgroups. */
    private Cgroup group(String owner, String execToken) {
        if (cgroups.isEmpty()) {
            return null;
        }
        try {
            OwnerGroups groups = ownerGroups.get(owner);
            if (groups == null) {
                groups = ownerGroups.computeIfAbsent(owner, name -> {
                    try {
                        return new OwnerGroups(cgroups.get().create(name));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
            Cgroup idle = groups.idle.poll();
            return idle != null ? idle : groups.all.child(execToken);
        } catch (IOException | java.io.UncheckedIOException e) {
            return null; // the /proc fallback still finds the command's processes
        }
    }

    /**
     * Offers a command's group for the owner's next command once no process is left in it: reusing groups
     * spares a cgroup creation and removal per command. A group still holding a background process stays as it
     * is, for {@link #killOwned}.
     */
    private void release(String owner, Cgroup group) {
        OwnerGroups groups = group == null ? null : ownerGroups.get(owner);
        if (groups != null && group.isEmpty()) {
            groups.idle.offer(group);
        }
    }

    /** The group of one owner, and the groups of its finished commands that are empty and ready for reuse. */
    private record OwnerGroups(Cgroup all, java.util.Queue<Cgroup> idle) {
        OwnerGroups(Cgroup all) {
            this(all, new java.util.concurrent.ConcurrentLinkedQueue<>());
        }
    }

    /** Kills the command's processes; a contained launcher ({@code execToken} null) takes its own with it. */
    private static void kill(Process process, Cgroup group, String execToken) {
        if (group != null) {
            group.killAll();
        }
        if (execToken == null) {
            process.destroyForcibly();
        } else {
            ProcessTree.kill(process.toHandle(), EXEC_MARKER + "=" + execToken);
        }
    }

    private void awaitDrain(CompletableFuture<Void> drained, Cgroup group, String execToken)
            throws InterruptedException {
        try {
            drained.get(drainGrace.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (outlived(group, execToken)) {
                return; // a process that outlived the command holds a pipe: keep what arrived so far
            }
            // Nothing holds the pipes: the readers are only late (a starved CPU), and the rest of the output is
            // in the pipes. Wait for it, within a bound that only a wedged machine reaches.
            try {
                drained.get(LATE_READERS.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException late) {
                // what was read is kept
            }
        } catch (ExecutionException e) {
            // A read error ends that stream; what was read is kept.
        }
    }

    /** Whether a process the command started is still alive, and may hold its pipes; none outlives a sandbox. */
    private static boolean outlived(Cgroup group, String execToken) {
        if (group != null) {
            return !group.isEmpty();
        }
        return execToken != null && !ProcessTree.marked(EXEC_MARKER + "=" + execToken).isEmpty();
    }

    /**
     * Writes a launcher's stdin from this thread, sparing a reader thread's wake-up: the launcher reads it all before
     * anything else, and its output is being drained meanwhile, so the write cannot wait on this thread.
     */
    private static void writeLauncherStdin(Process process, byte[] bytes) {
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(bytes);
        } catch (IOException e) {
            // The launcher failed before reading it: its exit status and stderr say why.
        }
    }

    /** Streams stdin through a small buffer, so that its size costs no memory. */
    private void feedStdin(Process process, InputStream input) {
        OutputStream stdin = process.getOutputStream();
        if (input == null) {
            closeQuietly(stdin);
            return;
        }
        // On a reader thread: a command that never reads its stdin must not block the caller past the timeout.
        readers.execute(() -> {
            try (input; stdin) {
                // Flushed at each read: a background command's input arrives while it runs, in pieces.
                byte[] buffer = new byte[BUFFER];
                for (int read = input.read(buffer); read >= 0; read = input.read(buffer)) {
                    stdin.write(buffer, 0, read);
                    stdin.flush();
                }
            } catch (IOException e) {
                // The command exited or closed stdin early: it did not want the rest.
            }
        });
    }

    private static void pump(InputStream stream, OutputCollector collector) {
        byte[] buffer = new byte[BUFFER];
        try (stream) {
            int read;
            while ((read = stream.read(buffer)) >= 0) {
                collector.append(buffer, 0, read);
            }
        } catch (IOException e) {
            // The stream was closed under us: the process is gone.
        }
    }

    private static String reason(IOException e) {
        String message = String.valueOf(e.getMessage());
        int at = message.indexOf("error=");
        return at >= 0 ? message.substring(at) : message;
    }

    private static void closeQuietly(java.io.Closeable stream) {
        if (stream == null) {
            return;
        }
        try {
            stream.close();
        } catch (IOException e) {
            // Nothing to release.
        }
    }
}
