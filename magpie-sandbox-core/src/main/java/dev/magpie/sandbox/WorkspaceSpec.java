package dev.magpie.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A description of a workspace to create, independent of the provider: an existing path, a clone source (with
 * ref), or a snapshot (a Daytona snapshot or a Docker image), plus the working directory and environment.
 * Immutable; build with {@link #builder()}.
 */
public final class WorkspaceSpec {

    private final Provider provider;
    private final String path;
    private final String clone;
    private final String ref;
    private final Integer depth;
    private final String snapshot;
    private final String workingDir;
    private final Map<String, String> env;

    private WorkspaceSpec(Builder builder) {
        this.provider = builder.provider;
        this.path = builder.path;
        this.clone = builder.clone;
        this.ref = builder.ref;
        this.depth = builder.depth;
        this.snapshot = builder.snapshot;
        this.workingDir = builder.workingDir;
        this.env = Map.copyOf(builder.env);
        if (path != null && clone != null) {
            throw new IllegalArgumentException("A workspace comes from a path or from a clone, not both: path='"
                    + path + "', clone='" + clone + "'. Keep one of them.");
        }
        if (path != null && snapshot != null) {
            throw new IllegalArgumentException("A workspace comes from a path or from a snapshot, not both: path='"
                    + path + "', snapshot='" + snapshot + "'. Keep one of them.");
        }
        if (ref != null && clone == null) {
            throw new IllegalArgumentException("ref '" + ref + "' needs a clone source; set clone as well.");
        }
        if (depth != null && clone == null) {
            throw new IllegalArgumentException("depth " + depth + " needs a clone source; set clone as well.");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder newBuilder() {
        Builder builder = new Builder().provider(provider).path(path).clone(clone).ref(ref).snapshot(snapshot)
                .workingDir(workingDir);
        builder.env.putAll(env);
        builder.depth = depth;
        return builder;
    }

    public Provider provider() {
        return provider;
    }

    /** An existing local directory to use as it is. */
    public Optional<String> path() {
        return Optional.ofNullable(path);
    }

    /** A repository to clone: {@code org/name}, a git URL, or a local path. */
    public Optional<String> clone() {
        return Optional.ofNullable(clone);
    }

    /** A branch, tag or commit of the clone source. */
    public Optional<String> ref() {
        return Optional.ofNullable(ref);
    }

    /** How many commits of history a clone fetches; empty means all. */
    public java.util.OptionalInt depth() {
        return depth == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(depth);
    }

    /** A Daytona snapshot name, or a Docker image name. */
    public Optional<String> snapshot() {
        return Optional.ofNullable(snapshot);
    }

    /** The working directory inside the workspace; the provider's default when empty. */
    public Optional<String> workingDir() {
        return Optional.ofNullable(workingDir);
    }

    /** Environment variables for every command. */
    public Map<String, String> env() {
        return env;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("WorkspaceSpec{provider=").append(provider);
        path().ifPresent(p -> out.append(", path=").append(p));
        clone().ifPresent(c -> out.append(", clone=").append(dev.magpie.sandbox.internal.Redactor.redact(c)));
        ref().ifPresent(r -> out.append(", ref=").append(r));
        depth().ifPresent(d -> out.append(", depth=").append(d));
        snapshot().ifPresent(s -> out.append(", snapshot=").append(s));
        workingDir().ifPresent(w -> out.append(", workingDir=").append(w));
        return out.append('}').toString();
    }

    /** Builds a {@link WorkspaceSpec}; blank strings count as unset. */
    public static final class Builder {
        private Provider provider = Provider.AUTO;
        private String path;
        private String clone;
        private String ref;
        private Integer depth;
        private String snapshot;
        private String workingDir;
        private final Map<String, String> env = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder provider(Provider value) {
            this.provider = Objects.requireNonNull(value, "provider");
            return this;
        }

        public Builder path(String value) {
            this.path = blankToNull(value);
            return this;
        }

        public Builder clone(String value) {
            this.clone = blankToNull(value);
            return this;
        }

        public Builder ref(String value) {
            this.ref = blankToNull(value);
            return this;
        }

        /** A shallow clone of {@code commits} commits (at least 1). */
        public Builder depth(int commits) {
            if (commits < 1) {
                throw new IllegalArgumentException("depth must be at least 1 commit, but was " + commits + ".");
            }
            this.depth = commits;
            return this;
        }

        public Builder snapshot(String value) {
            this.snapshot = blankToNull(value);
            return this;
        }

        public Builder workingDir(String value) {
            this.workingDir = blankToNull(value);
            return this;
        }

        public Builder env(String name, String value) {
            env.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public WorkspaceSpec build() {
            return new WorkspaceSpec(this);
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value;
        }
    }
}
