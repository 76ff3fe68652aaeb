package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.files.SafeTrees;
import java.nio.file.Path;
import java.util.List;

/**
 * Deletes a tree with {@link SafeTrees}: never following a symlink, whatever the tree's processes do meanwhile, a
 * link removed and never its target, read-only directories made writable first. Whatever could not be deleted is
 * reported in one exception listing the paths, never silently left behind.
 */
public final class TreeDeleter {

    private static final int LISTED = 20;

    private TreeDeleter() {
    }

    /**
     * Deletes {@code root} and everything below it; a missing root is fine. The directories above {@code root} are
     * trusted, as the caller's own.
     *
     * @throws WorkspaceException listing the paths left behind
     */
    public static void delete(Path root) {
        check(root, SafeTrees.delete(root));
    }

    /** Throws the report of {@code failures} under {@code root}, if any. */
    public static void check(Path root, List<String> failures) {
        if (!failures.isEmpty()) {
            List<String> shown = failures.subList(0, Math.min(LISTED, failures.size()));
            throw new WorkspaceException("Could not delete " + failures.size() + " path(s) under " + root + ": "
                    + String.join("; ", shown) + (failures.size() > LISTED ? "; ..." : "")
                    + ". Check their permissions or whether a process still uses them, then delete them by hand.");
        }
    }
}
