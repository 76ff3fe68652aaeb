package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.InvalidInputException;
/** The refs that workspaces check out: a branch, tag or commit, never something git would read as an option. */
public final class GitRefs {

    private GitRefs() {
    }

    /**
     * The ref trimmed, or {@code null} when blank.
     *
     * @throws dev.magpie.sandbox.InvalidInputException when it starts with {@code -} or holds a NUL byte
     */
    public static String checked(String value) {
        String ref = value == null || value.isBlank() ? null : value.trim();
        if (ref != null && (ref.startsWith("-") || ref.contains("\0"))) {
            throw new InvalidInputException("ref must be a branch, tag or commit, but was '" + value
                    + "'; pass a branch, tag or commit name that does not start with '-'.");
        }
        return ref;
    }
}
