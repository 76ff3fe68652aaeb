package dev.magpie.sandbox.local;

import dev.magpie.sandbox.InvalidInputException;
import dev.magpie.sandbox.internal.GitRefs;
import dev.magpie.sandbox.internal.GithubShorthand;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What to clone into a local workspace: a source, an optional ref and depth, and the GitHub base that shorthand
 * sources resolve against. Immutable; build with {@link #builder(String)}.
 *
 * <p>The source is one of: GitHub shorthand {@code org/name}; a git URL ({@code https://}, {@code ssh://},
 * {@code git@host:org/name}, {@code file://}); or a local path, which must be absolute or start with {@code ./},
 * {@code ../} or {@code ~/} (so that it cannot be mistaken for shorthand).
 */
public final class CloneSpec {

    /** Where shorthand {@code org/name} points unless configured. */
    public static final String DEFAULT_GITHUB_BASE = GithubShorthand.DEFAULT_BASE;

    private final String source;
    private final String ref;
    private final Integer depth;
    private final String githubBase;

    private CloneSpec(Builder builder) {
        this.source = builder.source;
        this.ref = builder.ref;
        this.depth = builder.depth;
        this.githubBase = builder.githubBase;
    }

    /** A spec with just a source: its default branch, full history, the configured GitHub base. */
    public static CloneSpec of(String source) {
        return builder(source).build();
    }

    public static Builder builder(String source) {
        return new Builder(source);
    }

    public Builder newBuilder() {
        Builder builder = new Builder(source).ref(ref).githubBase(githubBase);
        builder.depth = depth;
        return builder;
    }

    /** The repository as given: shorthand, URL or local path. */
    public String source() {
        return source;
    }

    /** A branch, tag or commit to check out; empty means the source's default branch. */
    public Optional<String> ref() {
        return Optional.ofNullable(ref);
    }

    /** How many commits of history to fetch; empty means all. */
    public OptionalInt depth() {
        return depth == null ? OptionalInt.empty() : OptionalInt.of(depth);
    }

    /** The base URL or directory of shorthand sources; empty means the setting {@code magpie.local.github-base}. */
    public Optional<String> githubBase() {
        return Optional.ofNullable(githubBase);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CloneSpec that && source.equals(that.source) && Objects.equals(ref, that.ref)
                && Objects.equals(depth, that.depth) && Objects.equals(githubBase, that.githubBase);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, ref, depth, githubBase);
    }

    @Override
    public String toString() {
        return "CloneSpec{source=" + dev.magpie.sandbox.internal.Redactor.redact(source)
                + (ref == null ? "" : ", ref=" + ref) + (depth == null ? "" : ", depth=" + depth) + "}";
    }

    /** Builds a {@link CloneSpec}; blank strings count as unset. */
    public static final class Builder {
        private final String source;
        private String ref;
        private Integer depth;
        private String githubBase;

        private Builder(String source) {
            Objects.requireNonNull(source, "source");
            if (source.isBlank()) {
                throw new InvalidInputException("A clone source is required, but it was blank; pass org/name, a git URL or a local path.");
            }
            this.source = source.trim();
        }

        public Builder ref(String value) {
            this.ref = GitRefs.checked(value);
            return this;
        }

        /** Shallow history of {@code commits} commits; must be positive. */
        public Builder depth(int commits) {
            if (commits < 1) {
                throw new InvalidInputException("depth must be at least 1 commit, but was " + commits
                        + "; leave it unset for the whole history.");
            }
            this.depth = commits;
            return this;
        }

        public Builder githubBase(String value) {
            this.githubBase = value == null || value.isBlank() ? null : value.trim();
            return this;
        }

        public CloneSpec build() {
            return new CloneSpec(this);
        }
    }
}
