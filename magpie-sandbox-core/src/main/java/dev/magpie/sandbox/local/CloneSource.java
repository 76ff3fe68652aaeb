package dev.magpie.sandbox.local;

import dev.magpie.sandbox.WorkspaceException;
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

    private static final Pattern SHORTHAND = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");
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
        if (SHORTHAND.matcher(source).matches() && !source.startsWith(".")) {
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
        String base = githubBase.replaceAll("/+$", "");
        if (base.equals(CloneSpec.DEFAULT_GITHUB_BASE) && ghReady.getAsBoolean()) {
            return new CloneSource(null, source, true, source);
        }
        boolean isUrl = base.contains("://") && !base.startsWith("file://");
        if (isUrl) {
            String url = base + "/" + source + ".git";
            return new CloneSource(url, source, false, Redactor.redact(url));
        }
        // A directory of repositories: org/name or org/name.git below it.
        Path folder = Path.of(base.startsWith("file://") ? base.substring("file://".length()) : base);
        for (String candidate : new String[] {source, source + ".git"}) {
            Path repository = folder.resolve(candidate);
            if (Files.isDirectory(repository)) {
                return new CloneSource(repository.toAbsolutePath().normalize().toString(), source, false,
                        repository.toString());
            }
        }
        throw new WorkspaceException("Expected a repository for '" + source + "' at " + folder.resolve(source)
                + " or " + folder.resolve(source + ".git") + " (GitHub base '" + base
                + "', setting magpie.local.github-base), but neither exists.");
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
