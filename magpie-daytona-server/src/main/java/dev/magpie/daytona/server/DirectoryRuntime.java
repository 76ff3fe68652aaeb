package dev.magpie.daytona.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Commands run as processes of this machine, as the server's user, in the sandbox's directory: they see its path
 * on this machine as their working directory and {@code HOME}, and everything the server's user may reach. The
 * server's replies show the home as Daytona does, {@value DaytonaHome#PATH}, and the file routes and a command's
 * {@code cwd} take paths below it (or, as commands print them, below the directory). Each sandbox's
 * processes are kept in its cgroup when {@link ProcessCages} are available, and all killed when it stops;
 * otherwise stopping kills the processes whose working directory is inside the sandbox's directory, and a
 * process that left both the process tree and the directory survives.
 *
 * <p>A command's variables (the sandbox's, the request's, those {@code POST /env} set) go in its process
 * environment, which only the server's user can read, never on its command line, which every user can.
 */
final class DirectoryRuntime implements SandboxRuntime {

    /** How many times a tree being killed is looked at for processes forked meanwhile, at most. */
    private static final int STOP_ROUNDS = 50;

    private final ProcessCages cages;

    DirectoryRuntime(ProcessCages cages) {
        this.cages = cages;
    }

    @Override
    public void start(LocalSandbox sandbox) throws IOException {
        if (cages.available()) {
            cages.open(sandbox.id);
        }
    }

    @Override
    public Process exec(LocalSandbox sandbox, String command, String cwd, Map<String, String> env,
                        boolean mergeStderr, Path output) throws IOException {
        Path dir = cwd == null ? sandbox.directory
                : DaytonaHome.toHost(sandbox, cwd).orElseGet(() -> sandbox.directory.resolve(cwd));
        List<String> line = cages.available() ? cages.caged(sandbox.id, command) : List.of("sh", "-c", command);
        ProcessBuilder builder = new ProcessBuilder(line).directory(dir.toFile())
                .redirectErrorStream(mergeStderr);
        builder.environment().putAll(sandbox.env);
        builder.environment().putAll(env);
        builder.environment().put("HOME", sandbox.directory.toString());
        sandbox.daemonEnv.applyTo(builder.environment(), env.keySet());
        if (output != null) {
            builder.redirectOutput(output.toFile());
        }
        return builder.start();
    }

    @Override
    public void kill(LocalSandbox sandbox, Process process) {
        killTree(process);
    }

    /**
     * Kills the process and its descendants. The tree is stopped first (SIGSTOP), and looked at again until no new
     * process appears, then killed: a child forked between a look and the kill would lose its killed parent, leave
     * the tree and survive. A stopped process cannot fork, so the last look holds the whole tree.
     */
    static void killTree(Process process) {
        Set<ProcessHandle> held = new LinkedHashSet<>();
        for (int round = 0; round < STOP_ROUNDS && process.isAlive(); round++) {
            List<ProcessHandle> fresh = Stream.concat(Stream.of(process.toHandle()), process.descendants())
                    .filter(handle -> !held.contains(handle)).toList();
            if (fresh.isEmpty()) {
                break;
            }
            suspend(fresh);
            held.addAll(fresh);
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        held.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Sends SIGSTOP, which Java cannot: through {@code kill}, waiting for it so the processes are stopped after. */
    private static void suspend(List<ProcessHandle> processes) {
        List<String> command = new ArrayList<>(List.of("kill", "-s", "STOP"));
        processes.forEach(handle -> command.add(Long.toString(handle.pid())));
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start(); // a pid that ended meanwhile is fine
            if (!kill.waitFor(30, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            // no kill command: the tree is killed as it is found
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop(LocalSandbox sandbox) {
        if (cages.available()) {
            cages.close(sandbox.id);
        } else {
            killInside(sandbox.directory);
        }
    }

    /** Kills the processes whose working directory is the directory or below it. */
    private static void killInside(Path directory) {
        ProcessHandle.allProcesses().forEach(p -> {
            try {
                Path cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd"));
                if (cwd.startsWith(directory)) {
                    p.destroyForcibly();
                }
            } catch (IOException | UnsupportedOperationException e) {
                // gone, or not ours to inspect
            }
        });
    }

    @Override
    public Optional<Path> toHost(LocalSandbox sandbox, String path) {
        Optional<Path> mapped = DaytonaHome.toHost(sandbox, path);
        if (mapped.isPresent()) {
            return mapped;
        }
        Path resolved = sandbox.directory.resolve(path).normalize(); // a path of this machine, as commands see it
        return resolved.startsWith(sandbox.directory) ? Optional.of(resolved) : Optional.empty();
    }

    @Override
    public String sessionState(LocalSandbox sandbox, String sessionKey) {
        return sandbox.directory.resolveSibling(".sessions").resolve(sessionKey).toString();
    }
}
