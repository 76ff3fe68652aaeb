package dev.magpie.junit.thirdparty;

import dev.magpie.sandbox.InvalidInputException;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.local.LocalWorkspace;
import dev.magpie.sandbox.spi.Availability;
import dev.magpie.sandbox.spi.WorkspaceProvider;
import java.util.List;
import java.util.Optional;

/** A provider registered only on this module's test classpath (META-INF/services), as a third-party jar would be. */
public final class ScratchProvider implements WorkspaceProvider {

    /** When set to false, the provider reports itself unavailable. */
    public static final String AVAILABLE_KEY = "scratch.available";

    @Override
    public ProviderId id() {
        return ScratchWorkspace.SCRATCH;
    }

    @Override
    public Class<ScratchWorkspace> workspaceType() {
        return ScratchWorkspace.class;
    }

    @Override
    public void validate(WorkspaceSpec spec, Settings settings) {
        if (spec.cloneFrom().isPresent()) {
            throw new InvalidInputException("The scratch provider cannot clone, but the spec names cloneFrom '"
                    + spec.cloneFrom().get() + "'. Remove cloneFrom.");
        }
    }

    @Override
    public Availability availability(Settings settings) {
        return settings.getBoolean(AVAILABLE_KEY, true) ? Availability.AVAILABLE
                : Availability.unavailable("switched off by " + AVAILABLE_KEY);
    }

    @Override
    public Workspace create(WorkspaceSpec spec, Settings settings) {
        Availability availability = availability(settings);
        if (!availability.available()) {
            throw new dev.magpie.sandbox.ProviderUnavailableException(id(), availability.reason());
        }
        return new ScratchWorkspace(LocalWorkspace.temporary(spec.env()), spec.snapshot().orElse(""));
    }

    @Override
    public Optional<String> describeKept(Workspace workspace) {
        return Optional.of("scratch space " + workspace.workingDir());
    }

    @Override
    public List<String> sweep(Settings settings) {
        return List.of();
    }
}
