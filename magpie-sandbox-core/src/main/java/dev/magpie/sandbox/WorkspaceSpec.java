package dev.magpie.sandbox;

import dev.magpie.sandbox.internal.Redactor;
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

    private final ProviderId provider;
    private final String path;
    private final String cloneFrom;
    private final String ref;
    private final Integer depth;
    private final String snapshot;
    private final String workingDir;
    private final Map<String, String> env;
    private final Isolation isolation;
    private final String prepare;

    private WorkspaceSpec(Builder builder) {
        this.provider = builder.provider;
        this.path = builder.path;
        this.cloneFrom = builder.cloneFrom;
        this.ref = builder.ref;
        this.depth = builder.depth;
        this.snapshot = builder.snapshot;
        this.workingDir = builder.workingDir;
        this.env = Map.copyOf(builder.env);
        this.isolation = builder.isolation;
        this.prepare = builder.prepare;
        if (path != null && cloneFrom != null) {
            throw new InvalidInputException("path and cloneFrom exclude each other, but both are set: path = '" + path
                    + "', cloneFrom = '" + Redactor.redact(cloneFrom) + "'. Keep one of them.");
        }
        if (path != null && snapshot != null) {
            throw new InvalidInputException("path and snapshot exclude each other, but both are set: path = '" + path
                    + "', snapshot = '" + snapshot + "'. Keep one of them.");
        }
        if (ref != null && cloneFrom == null) {
            throw new InvalidInputException("ref '" + ref
                    + "' needs cloneFrom, but cloneFrom is not set; set cloneFrom or"
                    + " remove ref.");
        }
        if (depth != null && cloneFrom == null) {
            throw new InvalidInputException("depth " + depth
                    + " needs cloneFrom, but cloneFrom is not set; set cloneFrom"
                    + " or remove depth.");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder newBuilder() {
        Builder builder = new Builder().provider(provider).path(path).cloneFrom(cloneFrom).ref(ref).snapshot(snapshot)
                .workingDir(workingDir).isolation(isolation).prepare(prepare);
        builder.env.putAll(env);
        builder.depth = depth;
        return builder;
    }

    /** The provider asked for; empty lets {@link Workspaces#resolve} choose from the spec and the settings. */
    public Optional<ProviderId> provider() {
        return Optional.ofNullable(provider);
    }

    /** An existing local directory to use as it is. */
    public Optional<String> path() {
        return Optional.ofNullable(path);
    }

    /** A repository to clone: {@code org/name}, a git URL, or a local path. */
    public Optional<String> cloneFrom() {
        return Optional.ofNullable(cloneFrom);
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

    /**
     * How a local workspace's commands are isolated; empty follows the configuration
     * ({@code magpie.local.isolation}). Containers and remote sandboxes are isolated whatever it says.
     */
    public Optional<Isolation> isolation() {
        return Optional.ofNullable(isolation);
    }

    /**
     * A shell command run once per distinct source and command, each workspace starting from a copy of the state it
     * left; see {@link Preparation}. Empty: every workspace starts from its source.
     */
    public Optional<String> prepare() {
        return Optional.ofNullable(prepare);
    }

    /** Equal when every field is: two equal specs describe the same workspace (warm pools are keyed by it). */
    @Override
    public boolean equals(Object other) {
        return other instanceof WorkspaceSpec that && Objects.equals(provider, that.provider)
                && Objects.equals(path, that.path) && Objects.equals(cloneFrom, that.cloneFrom)
                && Objects.equals(ref, that.ref) && Objects.equals(depth, that.depth)
                && Objects.equals(snapshot, that.snapshot) && Objects.equals(workingDir, that.workingDir)
                && env.equals(that.env) && isolation == that.isolation
                && Objects.equals(prepare, that.prepare);
    }

    @Override
    public int hashCode() {
        return Objects.hash(provider, path, cloneFrom, ref, depth, snapshot, workingDir, env, isolation, prepare);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("WorkspaceSpec{provider=").append(provider == null ? "auto" : provider);
        path().ifPresent(p -> out.append(", path=").append(p));
        cloneFrom().ifPresent(c -> out.append(", cloneFrom=").append(Redactor.redact(c)));
        ref().ifPresent(r -> out.append(", ref=").append(r));
        depth().ifPresent(d -> out.append(", depth=").append(d));
        snapshot().ifPresent(s -> out.append(", snapshot=").append(s));
        workingDir().ifPresent(w -> out.append(", workingDir=").append(w));
        isolation().ifPresent(i -> out.append(", isolation=").append(i.key()));
        prepare().ifPresent(p -> out.append(", prepare=").append(Redactor.redact(p)));
        return out.append('}').toString();
    }

    /** Builds a {@link WorkspaceSpec}; blank strings count as unset. */
    public static final class Builder {
        private ProviderId provider;
        private String path;
        private String cloneFrom;
        private String ref;
        private Integer depth;
        private String snapshot;
        private String workingDir;
        private final Map<String, String> env = new LinkedHashMap<>();
        private Isolation isolation;
        private String prepare;

        private Builder() {
        }

        /** The provider to use; null lets {@link Workspaces#resolve} choose. */
        public Builder provider(ProviderId value) {
            this.provider = value;
            return this;
        }

        public Builder path(String value) {
            this.path = blankToNull(value);
            return this;
        }

        /** A repository to clone: {@code org/name}, a git URL, or a local path. */
        public Builder cloneFrom(String value) {
            this.cloneFrom = blankToNull(value);
            return this;
        }

        public Builder ref(String value) {
            this.ref = blankToNull(value);
            return this;
        }

        /** A shallow clone of {@code commits} commits (at least 1). */
        public Builder depth(int commits) {
            if (commits < 1) {
                throw new InvalidInputException("depth must be at least 1 commit, but was " + commits
                        + "; leave it unset for the whole history.");
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

        /** How a local workspace's commands are isolated; null follows the configuration. */
        public Builder isolation(Isolation value) {
            this.isolation = value;
            return this;
        }

        /**
         * A shell command ({@code sh -c}) that prepares the workspace, such as {@code npm ci}: run once per distinct
         * source and command, each workspace then starts from a copy of its result (see {@link Preparation}).
         */
        public Builder prepare(String command) {
            this.prepare = blankToNull(command);
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
