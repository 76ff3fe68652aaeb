package dev.magpie.daytona.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where a sandbox's commands run: processes of this machine in its directory ({@link DirectoryRuntime}), or a
 * Docker container with that directory mounted as its home ({@link DockerRuntime}).
 */
interface SandboxRuntime {

    /** Makes the sandbox ready for commands, once its directory is laid out. */
    void start(LocalSandbox sandbox) throws IOException;

    /**
     * Starts {@code sh -c command} in the sandbox, with its environment plus {@code env}.
     *
     * @param cwd a sandbox path (absolute, or relative to its home); its home when null
     * @param mergeStderr whether stderr goes into stdout
     * @param output a file of this machine that takes stdout (and a merged stderr) instead of a pipe, or null
     */
    Process exec(LocalSandbox sandbox, String command, String cwd, Map<String, String> env, boolean mergeStderr,
                 Path output) throws IOException;

    /** Kills a command that {@link #exec} started, with everything it started. */
    void kill(LocalSandbox sandbox, Process process);

    /** Releases what {@link #start} took; the directory is deleted by the caller. */
    void stop(LocalSandbox sandbox);

    /** The home and working directory as the sandbox's commands see it: Daytona's, whatever the runtime. */
    default String home(LocalSandbox sandbox) {
        return DaytonaHome.PATH;
    }

    /** The path of this machine for a sandbox path, or empty when the file routes do not serve it. */
    default Optional<Path> toHost(LocalSandbox sandbox, String path) {
        return DaytonaHome.toHost(sandbox, path);
    }

    /** A path of this machine as the sandbox's commands see it. */
    default String toSandbox(LocalSandbox sandbox, Path hostPath) {
        return DaytonaHome.toSandbox(sandbox, hostPath);
    }

    /** The address at which this machine reaches the sandbox's ports. */
    default String address(LocalSandbox sandbox) {
        return "127.0.0.1";
    }

    /**
     * A directory, as commands see it, where a session keeps its shell state between commands: by default in the
     * sandbox's own {@code /tmp}.
     */
    default String sessionState(LocalSandbox sandbox, String sessionKey) {
        return "/tmp/.magpie-sessions/" + sessionKey;
    }
}
