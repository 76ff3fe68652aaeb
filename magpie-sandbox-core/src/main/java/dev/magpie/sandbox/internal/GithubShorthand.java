package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.WorkspaceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * GitHub shorthand clone sources ({@code org/name}) and where they point: below a base that is a URL (cloned as
 * {@code base/org/name.git}) or a directory of repositories ({@code org/name} or {@code org/name.git} in it, the
 * directory given as a path or a {@code file://} URL). Local and Docker workspaces read the same base setting.
 */
public final class GithubShorthand {

    /** The setting that holds the base; its name predates Docker workspaces, which read it too. */
    public static final String BASE_KEY = "magpie.local.github-base";
    /** The base when the setting is absent. */
    public static final String DEFAULT_BASE = "https://github.com";

    private static final Pattern SHORTHAND = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");

    private GithubShorthand() {
    }

    /** Whether a source has the form {@code org/name} (a relative path such as {@code ./x} does not). */
    public static boolean matches(String source) {
        return SHORTHAND.matcher(source).matches() && !source.startsWith(".");
    }

    /** The base without trailing slashes. */
    public static String normalizeBase(String base) {
        return base.replaceAll("/+$", "");
    }

    /** Whether a base is a URL that git fetches from, rather than a directory on this machine. */
    public static boolean isUrl(String base) {
        return base.contains("://") && !base.startsWith("file://");
    }

    /**
     * Where a shorthand points below a base: a URL, or the absolute path of a repository directory.
     *
     * @throws WorkspaceException when the base is a directory that holds neither {@code org/name} nor
     *     {@code org/name.git}
     */
    public static String locate(String shorthand, String base) {
        String trimmed = normalizeBase(base);
        if (isUrl(trimmed)) {
            return trimmed + "/" + shorthand + ".git";
        }
        Path folder = Path.of(trimmed.startsWith("file://") ? trimmed.substring("file://".length()) : trimmed);
        for (String candidate : new String[] {shorthand, shorthand + ".git"}) {
            Path repository = folder.resolve(candidate);
            if (Files.isDirectory(repository)) {
                return repository.toAbsolutePath().normalize().toString();
            }
        }
        throw new WorkspaceException("Expected a repository for '" + shorthand + "' at " + folder.resolve(shorthand)
                + " or " + folder.resolve(shorthand + ".git") + " (GitHub base '" + trimmed + "', setting "
                + BASE_KEY + "), but neither exists.");
    }
}
