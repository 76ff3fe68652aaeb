package dev.magpie.sandbox.local;

import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.internal.PreparedStates;
import dev.magpie.sandbox.internal.ProcessRunner;
import dev.magpie.sandbox.internal.TreeDeleter;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * The prepared directories of local workspaces ({@link dev.magpie.sandbox.Preparation}): one per key in this JVM,
 * in a temporary directory named for the JVM (swept by a later run if this one is killed, deleted when it exits).
 * Kept ones are renamed, once prepared, to {@code magpie-prepared-<key>} under the temporary root, where later runs
 * find them: an atomic rename, so that of two JVMs preparing the same key one wins and the other uses its result.
 * Each workspace gets a copy made by {@code cp --reflink=auto -a}, copy-on-write where the file system allows.
 */
final class PreparedTrees {

    private static final String KEPT_PREFIX = "magpie-prepared-";
    private static final String OWNER = "magpie-prepare";

    private final TempDirs dirs;
    private final ProcessRunner runner;
    private final Cloner cloner;
    private final PreparedStates<Path> states = new PreparedStates<>();

    PreparedTrees(TempDirs dirs, ProcessRunner runner, Cloner cloner) {
        this.dirs = dirs;
        this.runner = runner;
        this.cloner = cloner;
    }

    /**
     * A new temporary directory holding a copy of the spec's prepared state, prepared first if need be.
     *
     * @param settings the configuration, with the spec's isolation already applied
     */
    Path copy(WorkspaceSpec spec, Settings settings) {
        String command = spec.prepare().orElseThrow();
        String source = spec.cloneFrom().map(c -> "clone " + cloner.sourceAndCommit(cloneSpec(spec), settings))
                .or(() -> spec.path().map(p -> "path " + DirectoryDigest.of(sourcePath(spec))))
                .orElse("empty");
        String key = PreparedStates.key(spec.env(), "local", command, source,
                LocalSandbox.isolation(settings).key());
        Path prepared = states.get(key, () -> prepare(spec, settings, key));
        Path target = dirs.create("prepared");
        try {
            copyTree(prepared, target);
        } catch (RuntimeException e) {
            TreeDeleter.delete(target);
            throw e;
        }
        return target;
    }

    /** Deletes this JVM's prepared directories; kept ones stay for later runs. */
    void clear() {
        for (Path prepared : states.clear()) {
            if (!prepared.getFileName().toString().startsWith(KEPT_PREFIX)) {
                TreeDeleter.delete(prepared);
            }
        }
    }

    private Path prepare(WorkspaceSpec spec, Settings settings, String key) {
        boolean keep = PreparedStates.keep(settings);
        Path kept = dirs.root().resolve(KEPT_PREFIX + key);
        if (keep && Files.isDirectory(kept)) {
            return kept; // prepared by an earlier run
        }
        Path tree = spec.cloneFrom().isPresent()
                ? cloner.cloneInto(cloneSpec(spec), Settings.builder()
                        .values(Map.of(LocalWorkspace.CLONE_CACHE_KEY, "false")).source(settings::get).build())
                : dirs.create("preparing");
        try {
            spec.path().ifPresent(p -> copyTree(sourcePath(spec), tree));
            LocalWorkspace workspace = LocalWorkspace.fromPath(tree, spec.env(), settings);
            try {
                PreparedStates.run(workspace, spec.prepare().orElseThrow(), settings, "local workspace "
                        + spec.cloneFrom().or(spec::path).orElse("(empty directory)"));
            } finally {
                workspace.destroy(); // ends what the preparation left running; the directory stays
            }
            return keep ? publish(tree, kept) : tree;
        } catch (RuntimeException e) {
            try {
                TreeDeleter.delete(tree);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** Renames a prepared tree to its kept name, or gives it up when another JVM was first. */
    private static Path publish(Path tree, Path kept) {
        try {
            Files.move(tree, kept, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            TreeDeleter.delete(tree);
        } catch (IOException e) {
            throw new WorkspaceException("Could not keep the prepared directory " + tree + " as " + kept + ": " + e
                    + ". Check that " + kept.getParent() + " is writable, or set magpie.sandbox.prepare.keep=false.", e);
        }
        return kept;
    }

    private void copyTree(Path from, Path into) {
        ExecResult copied = runner.run(ExecRequest.builder("cp", "--reflink=auto", "-a", "--", from + "/.",
                into.toString()).build(), into.toFile(), System.getenv(), OWNER);
        if (!copied.succeeded()) {
            throw new WorkspaceException("Could not copy the prepared directory " + from + " into " + into
                    + ": `cp --reflink=auto -a` ended with exit code " + copied.exitCode() + ": "
                    + copied.stderrTail(5).strip() + ". Prepared local workspaces need GNU cp and room on "
                    + into.getParent() + ".");
        }
    }

    private static CloneSpec cloneSpec(WorkspaceSpec spec) {
        CloneSpec.Builder clone = CloneSpec.builder(spec.cloneFrom().orElseThrow()).ref(spec.ref().orElse(null));
        spec.depth().ifPresent(clone::depth);
        return clone.build();
    }

    private static Path sourcePath(WorkspaceSpec spec) {
        Path path = Path.of(spec.path().orElseThrow());
        return spec.workingDir().map(path::resolve).orElse(path).toAbsolutePath();
    }
}
