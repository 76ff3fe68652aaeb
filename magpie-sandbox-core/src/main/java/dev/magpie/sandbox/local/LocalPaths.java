package dev.magpie.sandbox.local;

import dev.magpie.sandbox.PathOutsideWorkspaceException;
import dev.magpie.sandbox.internal.PathRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Symlink-aware path checks on top of the lexical {@link PathRules}: the real location of a path (of its nearest
 * existing ancestor, when it does not exist yet) must lie inside the real working directory. A dangling symlink is
 * followed to where it would create a file.
 */
final class LocalPaths {

    private static final int MAX_LINKS = 40;

    private final String rootText;

    LocalPaths(Path realRoot) {
        this.rootText = realRoot.toString();
    }

    /** The absolute path inside the root, or a refusal naming where it would lead. */
    String resolve(String userPath) {
        String lexical = PathRules.resolve(rootText, userPath);
        Path real = realLocation(Path.of(lexical), userPath, 0);
        if (!PathRules.isWithin(rootText, real.toString())) {
            throw new PathOutsideWorkspaceException(userPath, rootText,
                    "it leads through a symlink to " + real);
        }
        return lexical;
    }

    /** Where the path really is: the real path of its nearest existing ancestor, plus the rest. */
    private Path realLocation(Path path, String userPath, int links) {
        if (links > MAX_LINKS) {
            throw new PathOutsideWorkspaceException(userPath, rootText, "it goes through too many symlinks");
        }
        Path existing = path;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        Path rest = existing.relativize(path);
        try {
            return existing.toRealPath().resolve(rest).normalize();
        } catch (IOException danglingLink) {
            // toRealPath fails on a dangling link: follow it by hand to where a write would land.
            try {
                Path parent = existing.getParent();
                Path realParent = parent == null ? Path.of("/") : realLocation(parent, userPath, links + 1);
                Path target = realParent.resolve(Files.readSymbolicLink(existing)).normalize();
                return realLocation(target, userPath, links + 1).resolve(rest).normalize();
            } catch (IOException e) {
                throw new PathOutsideWorkspaceException(userPath, rootText, "it cannot be resolved: " + e.getMessage());
            }
        }
    }
}
