package dev.magpie.daytona.server;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A sandbox's home as Daytona shows it, {@value #PATH}, and the sandbox's directory of this machine behind it: the
 * mapping of the file routes' paths and of the directories the server reports, whatever runs the commands.
 */
final class DaytonaHome {

    /** The home and working directory of a Daytona sandbox. */
    static final String PATH = "/home/daytona";

    private DaytonaHome() {
    }

    /**
     * The path of this machine for a sandbox path (absolute, or relative to the home), or empty when it is not at
     * or below the home.
     */
    static Optional<Path> toHost(LocalSandbox sandbox, String path) {
        String absolute = path.startsWith("/") ? path : PATH + "/" + path;
        Path normalized = Path.of(absolute).normalize();
        if (!normalized.startsWith(PATH)) {
            return Optional.empty();
        }
        return Optional.of(sandbox.directory.resolve(Path.of(PATH).relativize(normalized).toString()).normalize());
    }

    /** A path of this machine at or below the sandbox's directory, as a path below the home. */
    static String toSandbox(LocalSandbox sandbox, Path hostPath) {
        String rest = sandbox.directory.relativize(hostPath).toString();
        return rest.isEmpty() ? PATH : PATH + "/" + rest;
    }
}
