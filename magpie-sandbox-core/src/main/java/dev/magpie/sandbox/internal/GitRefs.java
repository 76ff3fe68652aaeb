package dev.magpie.sandbox.internal;

/** The refs that workspaces check out: a branch, tag or commit, never something git would read as an option. */
public final class GitRefs {

    private GitRefs() {
    }

    /**
     * The ref trimmed, or {@code null} when blank.
     *
     * @throws IllegalArgumentException when it starts with {@code -} or holds a NUL byte
     */
    public static String checked(String value) {
        String ref = value == null || value.isBlank() ? null : value.trim();
        if (ref != null && (ref.startsWith("-") || ref.contains("\0"))) {
            throw new IllegalArgumentException("ref must be a branch, tag or commit, but was '" + value + "'.");
        }
        return ref;
    }
}
