package dev.magpie.daytona.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Starting shell commands in a sandbox directory and killing them with everything they started. */
final class Processes {

    private Processes() {
    }

    /** Runs {@code sh -c command} in the directory with the sandbox's environment added to this process's. */
    static Process start(String command, Path directory, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", command).directory(directory.toFile());
        builder.environment().putAll(env);
        builder.environment().put("HOME", directory.toString());
        return builder.start();
    }

    /** Kills the process and its descendants, children first so none is reparented and missed. */
    static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
