package dev.magpie.sandbox.local;

import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.internal.ProcessRunner;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What all local workspaces of one JVM share: the process runner and its reader threads, the temporary
 * directory root (swept of dead JVMs' leftovers on first use), the clone cache and the prepared directories. This is the one JVM-wide
 * instance in the library, on purpose: the cache exists to be shared by every workspace of a test run.
 * Cached mirrors and prepared directories (unless kept) are deleted when the JVM exits; a killed JVM's are swept by the next run.
 */
final class LocalRuntime {

    /** How long pipes are drained after a command's own process ended. */
    static final Duration DRAIN_GRACE = Duration.ofMillis(200);

    private final ProcessRunner runner;
    private final TempDirs tempDirs;
    private final Cloner cloner;
    private final PreparedTrees preparedTrees;

    LocalRuntime(Path tempRoot) {
        this.runner = new ProcessRunner(DRAIN_GRACE);
        this.tempDirs = new TempDirs(tempRoot);
        this.cloner = new Cloner(tempDirs, runner);
        this.preparedTrees = new PreparedTrees(tempDirs, runner, cloner);
    }

    /** The JVM's shared runtime, created on first use from the system settings. */
    static LocalRuntime shared() {
        return Holder.INSTANCE;
    }

    ProcessRunner runner() {
        return runner;
    }

    TempDirs tempDirs() {
        return tempDirs;
    }

    Cloner cloner() {
        return cloner;
    }

    PreparedTrees preparedTrees() {
        return preparedTrees;
    }

    private static final class Holder {
        private static final LocalRuntime INSTANCE = create();

        private static LocalRuntime create() {
            Path root = Settings.fromSystem().get(LocalWorkspace.TEMP_ROOT_KEY).map(Path::of)
                    .orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), "magpie-sandboxes"));
            LocalRuntime runtime = new LocalRuntime(root.toAbsolutePath());
            Thread cleanup = new Thread(() -> {
                try {
                    runtime.cloner.clear();
                } catch (RuntimeException e) {
                    // The next run sweeps what is left.
                }
                try {
                    runtime.preparedTrees.clear();
                } catch (RuntimeException e) {
                    // The next run sweeps what is left.
                }
            }, "magpie-local-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            return runtime;
        }
    }
}
