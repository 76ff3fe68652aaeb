package dev.magpie.sandbox.docker;

import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.ProviderUnavailableException;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.spi.Availability;
import dev.magpie.sandbox.spi.WorkspaceProvider;
import java.util.List;
import java.util.Optional;

/**
 * The {@code docker} provider: a container from the spec's snapshot (an image), configured by the
 * {@code magpie.docker.*} keys of {@link DockerWorkspaces}. Registered through {@link java.util.ServiceLoader}.
 */
public final class DockerProvider implements WorkspaceProvider {

    @Override
    public ProviderId id() {
        return ProviderId.DOCKER;
    }

    @Override
    public Class<DockerWorkspace> workspaceType() {
        return DockerWorkspace.class;
    }

    @Override
    public void validate(WorkspaceSpec spec, Settings settings) {
        DockerWorkspaces.validate(spec, settings);
    }

    @Override
    public Availability availability(Settings settings) {
        try {
            engine(settings);
            return Availability.AVAILABLE;
        } catch (ProviderUnavailableException e) {
            return Availability.unavailable(e.reason());
        }
    }

    @Override
    public Workspace create(WorkspaceSpec spec, Settings settings) {
        return DockerWorkspaces.create(spec, settings);
    }

    @Override
    public Optional<String> describeKept(Workspace workspace) {
        String id = workspace.id();
        return Optional.of("Docker container " + id + " (working dir " + workspace.workingDir() + "); reach it with:"
                + " docker exec -it -w " + workspace.workingDir() + " " + id + " sh; remove it with: docker rm -f " + id
                + " (or let a later run sweep it once this JVM has ended)");
    }

    @Override
    public List<String> sweep(Settings settings) {
        return engine(settings).sweepStale();
    }

    private static DockerEngine engine(Settings settings) {
        return DockerEngine.connect(settings.getDuration(DockerWorkspaces.PROBE_TIMEOUT_KEY,
                DockerEngine.DEFAULT_PROBE_TIMEOUT));
    }
}
