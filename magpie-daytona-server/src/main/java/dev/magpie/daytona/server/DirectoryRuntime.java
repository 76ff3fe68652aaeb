package dev.magpie.daytona.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Commands run as processes of this machine, as the server's user, in the sandbox's directory. */
final class DirectoryRuntime implements SandboxRuntime {

    @Override
    public void start(LocalSandbox sandbox) {
        // nothing beyond the directory
    }

    @Override
    public Process exec(LocalSandbox sandbox, String command, String cwd, Map<String, String> env,
                        boolean mergeStderr) throws IOException {
        Path dir = cwd == null ? sandbox.directory : sandbox.directory.resolve(cwd);
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", command).directory(dir.toFile())
                .redirectErrorStream(mergeStderr);
        builder.environment().putAll(sandbox.env);
        builder.environment().putAll(env);
        builder.environment().put("HOME", sandbox.directory.toString());
        return builder.start();
    }

    /** Kills the process and its descendants, children first so none is reparented and missed. */
    @Override
    public void kill(LocalSandbox sandbox, Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    @Override
    public void stop(LocalSandbox sandbox) {
        // processes were killed with their sessions
    }

    @Override
    public String home(LocalSandbox sandbox) {
        return sandbox.directory.toString();
    }

    @Override
    public Optional<Path> toHost(LocalSandbox sandbox, String path) {
        Path resolved = sandbox.directory.resolve(path).normalize();
        return resolved.startsWith(sandbox.directory) ? Optional.of(resolved) : Optional.empty();
    }

    @Override
    public String toSandbox(LocalSandbox sandbox, Path hostPath) {
        return hostPath.toString();
    }

    @Override
    public String sessionState(LocalSandbox sandbox, String sessionKey) {
        return sandbox.directory.resolveSibling(".sessions").resolve(sessionKey).toString();
    }
}
