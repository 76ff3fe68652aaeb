package dev.magpie.sandbox.conformance;

import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.local.CloneSpec;
import dev.magpie.sandbox.local.LocalWorkspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The contract on fresh clones of a git repository made by the test with real git. */
class LocalCloneConformanceTest extends WorkspaceConformance {

    @TempDir
    static Path origin;

    private boolean committed;

    @Override
    protected Workspace create(Map<String, String> env) {
        return LocalWorkspace.fromClone(CloneSpec.of(repository().toString()), env, Settings.fromSystem());
    }

    /** Made on first use: the suite creates its shared workspace before a subclass's {@code @BeforeAll} runs. */
    synchronized Path repository() {
        if (!committed) {
            try {
                Files.writeString(origin.resolve("README.md"), "widgets\n");
                Git.run(origin, "init", "-q", "-b", "main");
                Git.run(origin, "add", ".");
                Git.run(origin, "-c", "user.name=Conformance", "-c", "user.email=conformance@magpie.dev", "commit",
                        "-qm", "First commit");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while making the repository", e);
            }
            committed = true;
        }
        return origin;
    }
}
