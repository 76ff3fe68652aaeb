package dev.magpie.sandbox.local;

import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.GithubShorthand;
import dev.magpie.sandbox.internal.Redactor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * A clone source made concrete: the URL or absolute path git clones from, or a GitHub shorthand that {@code gh}
 * clones. {@code display} is safe to print (credentials redacted).
 */
record CloneSource(String location, String shorthand, boolean viaGh, String display) {

    private static final Pattern SCP_LIKE = Pattern.compile("[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+:.+");

    /**
     * Resolves a source as {@link CloneSpec} describes it.
     *
     * @param githubBase where shorthand points: a URL, or a directory (path or {@code file://}) of repositories
     * @param ghReady whether {@code gh} is installed and logged in; asked only for shorthand on the default base
     */
    static CloneSource resolve(String source, String githubBase, BooleanSupplier ghReady) {
        if (source.contains("://") || SCP_LIKE.matcher(source).matches()) {
            return new CloneSource(source, null, false, Redactor.redact(source));
        }
        if (looksLikePath(source)) {
            return local(source);
        }
        if (GithubShorthand.matches(source)) {
            return shorthand(source, githubBase, ghReady);
        }
        throw new WorkspaceException("Expected a clone source of the form org/name, a git URL or a local path, but "
                + "found '" + Redactor.redact(source) + "'. Write local paths as absolute or starting with ./");
    }

    private static boolean looksLikePath(String source) {
        return source.startsWith("/") || source.startsWith("./") || source.startsWith("../")
                || source.startsWith("~/") || source.equals(".") || source.equals("..");
    }

    private static CloneSource local(String source) {
        String expanded = source.startsWith("~/") ? System.getProperty("user.home") + source.substring(1) : source;
        Path path = Path.of(expanded).toAbsolutePath().normalize();
        if (!Files.isDirectory(path)) {
            throw new WorkspaceException("Expected a git repository at " + path + " (clone source '" + source
                    + "'), but " + (Files.exists(path) ? "it is not a directory" : "it does not exist") + ".");
        }
        return new CloneSource(path.toString(), null, false, path.toString());
    }

    private static CloneSource shorthand(String source, String githubBase, BooleanSupplier ghReady) {
        if (GithubShorthand.normalizeBase(githubBase).equals(GithubShorthand.DEFAULT_BASE) && ghReady.getAsBoolean()) {
            return new CloneSource(null, source, true, source);
        }
        String location = GithubShorthand.locate(source, githubBase);
        boolean url = GithubShorthand.isUrl(GithubShorthand.normalizeBase(githubBase));
        return new CloneSource(location, source, false, url ? Redactor.redact(location) : location);
    }

    /** The cache key: where the objects come from. */
    String key() {
        return viaGh ? "gh:" + shorthand : location;
    }

    /** Whether git clones it from the local filesystem. */
    boolean isLocalPath() {
        return location != null && location.startsWith("/");
    }
}
