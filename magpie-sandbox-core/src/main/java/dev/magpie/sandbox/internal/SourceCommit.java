package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.WorkspaceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The commit a clone source's ref names now, asked of the source itself (not of a cached mirror): a prepared state
 * is identified by it, so that a new commit prepares again.
 */
public final class SourceCommit {

    private static final Pattern FULL_COMMIT = Pattern.compile("[0-9a-fA-F]{40}");

    private SourceCommit() {
    }

    /**
     * @param location a local path, a {@code file://} URL or any URL git reaches from this machine
     * @param ref      a branch, tag or commit; {@code null} for the source's {@code HEAD}
     */
    public static String resolve(HostGit git, String location, String ref) {
        String target = ref == null ? "HEAD" : ref;
        String path = location.startsWith("file://") ? location.substring("file://".length()) : location;
        if (path.startsWith("/") && Files.isDirectory(Path.of(path))) {
            ExecResult parsed = git.exec(git.program(), Path.of(path), "rev-parse", "--verify", "--quiet",
                    target + "^{commit}");
            HostGit.check(parsed, "to find the commit of '" + target + "' in " + path + " (expected a branch, tag or"
                    + " commit of it)");
            return parsed.stdout().strip();
        }
        if (FULL_COMMIT.matcher(target).matches()) {
            return target.toLowerCase(java.util.Locale.ROOT);
        }
        ExecResult listed = git.exec(git.program(), Path.of(System.getProperty("java.io.tmpdir")), "ls-remote", "--",
                location, target, target + "^{}");
        String display = Redactor.redact(location);
        HostGit.check(listed, "to find the commit of '" + target + "' in " + display);
        String found = null;
        for (String line : listed.stdout().split("\n")) {
            String[] fields = line.split("\t");
            if (fields.length != 2) {
                continue;
            }
            String name = fields[1];
            if (name.equals("refs/tags/" + target + "^{}")) {
                return fields[0]; // a tag's commit, not the tag object
            }
            if (found == null && (name.equals(target) || name.equals("refs/heads/" + target)
                    || name.equals("refs/tags/" + target))) {
                found = fields[0];
            }
        }
        if (found == null) {
            throw new WorkspaceException("Expected '" + target + "' to be a branch or tag of " + display + " (or a"
                    + " full 40-digit commit), but the source has no such ref. A prepared workspace is identified by"
                    + " its commit: name an existing branch or tag, or the whole commit id.");
        }
        return found;
    }
}
