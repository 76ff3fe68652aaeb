package dev.magpie.sandbox;

import dev.magpie.sandbox.daytona.DaytonaWorkspace;
import dev.magpie.sandbox.docker.DockerWorkspaces;
import dev.magpie.sandbox.local.CloneSpec;
import dev.magpie.sandbox.local.LocalWorkspace;
import java.nio.file.Path;

/** Creates workspaces from a {@link WorkspaceSpec}, choosing the provider as the spec and the settings say. */
public final class Workspaces {

    /** Where {@link Provider#AUTO} sends a snapshot: {@code docker} or {@code daytona}. */
    public static final String SNAPSHOT_PROVIDER_KEY = "magpie.sandbox.snapshot-provider";

    private Workspaces() {
    }

    /** Creates the workspace the spec describes. */
    public static Workspace create(WorkspaceSpec spec, Settings settings) {
        return switch (resolve(spec, settings)) {
            case LOCAL -> createLocal(spec, settings);
            case DOCKER -> DockerWorkspaces.create(spec, settings);
            case DAYTONA -> DaytonaWorkspace.fromSpec(spec, settings);
            case AUTO -> throw new IllegalStateException("resolve never answers AUTO");
        };
    }

    /** The provider a spec goes to: its own, or for {@link Provider#AUTO} the one the spec and settings imply. */
    public static Provider resolve(WorkspaceSpec spec, Settings settings) {
        if (spec.provider() != Provider.AUTO) {
            return spec.provider();
        }
        if (spec.snapshot().isEmpty()) {
            return Provider.LOCAL;
        }
        String configured = settings.get(SNAPSHOT_PROVIDER_KEY).orElse(null);
        if (configured == null) {
            return settings.env("DAYTONA_API_KEY").isPresent() ? Provider.DAYTONA : Provider.DOCKER;
        }
        switch (configured.toLowerCase(java.util.Locale.ROOT)) {
            case "docker": return Provider.DOCKER;
            case "daytona": return Provider.DAYTONA;
            default: throw new WorkspaceException("Configuration key '" + SNAPSHOT_PROVIDER_KEY
                    + "' must be docker or daytona, but was '" + configured + "'.");
        }
    }

    private static Workspace createLocal(WorkspaceSpec spec, Settings settings) {
        if (spec.snapshot().isPresent()) {
            throw new IllegalArgumentException("The local provider cannot start from snapshot '"
                    + spec.snapshot().get() + "'; use the docker or daytona provider, or a path or clone.");
        }
        if (spec.path().isPresent()) {
            Path path = Path.of(spec.path().get());
            return LocalWorkspace.fromPath(spec.workingDir().map(path::resolve).orElse(path), spec.env(), settings);
        }
        if (spec.workingDir().isPresent()) {
            throw new IllegalArgumentException("The local provider runs a clone or temporary workspace in its root, "
                    + "so workingDir '" + spec.workingDir().get() + "' cannot be honoured; run commands there with "
                    + "ExecRequest.subdirectory instead.");
        }
        if (spec.clone().isPresent()) {
            CloneSpec.Builder clone = CloneSpec.builder(spec.clone().get()).ref(spec.ref().orElse(null));
            spec.depth().ifPresent(clone::depth);
            return LocalWorkspace.fromClone(clone.build(), spec.env(), settings);
        }
        return LocalWorkspace.temporary(spec.env(), settings);
    }
}
