package dev.magpie.sandbox.conformance;

import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.local.LocalWorkspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The contract on an existing directory of this machine, which destroy leaves in place. */
class LocalPathConformanceTest extends WorkspaceConformance {

    @TempDir
    static Path directories;

    @Override
    protected Workspace create(Map<String, String> env) {
        try {
            return LocalWorkspace.fromPath(Files.createTempDirectory(directories, "existing"), env);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
