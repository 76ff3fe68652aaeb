package dev.magpie.sandbox;

import dev.magpie.sandbox.internal.ProviderRegistry;
import dev.magpie.sandbox.spi.WorkspaceProvider;
import java.util.List;

/**
 * Creates workspaces from a {@link WorkspaceSpec} through the registered providers (found with
 * {@link java.util.ServiceLoader}, see {@link WorkspaceProvider}), choosing the provider as the spec and the
 * settings say.
 *
 * <p>A spec without a provider goes to {@code local} unless it names a snapshot; a snapshot goes to the provider
 * named by {@value #SNAPSHOT_PROVIDER_KEY}, else to {@code daytona} when Daytona is configured here, else to
 * {@code docker}.
 */
public final class Workspaces {

    /** Where a spec without a provider sends a snapshot: {@code docker}, {@code daytona}, or another provider. */
    public static final String SNAPSHOT_PROVIDER_KEY = "magpie.sandbox.snapshot-provider";

    private Workspaces() {
    }

    /**
     * Validates the spec with its provider, then creates the workspace.
     *
     * @throws InvalidInputException when the provider cannot honour the spec; nothing was created
     * @throws ProviderUnavailableException when the provider cannot work here
     */
    public static Workspace create(WorkspaceSpec spec, Settings settings) {
        WorkspaceProvider provider = provider(resolve(spec, settings));
        provider.validate(spec, settings);
        return provider.create(spec, settings);
    }

    /** The provider a spec goes to: its own, or the one the spec and the settings imply. */
    public static ProviderId resolve(WorkspaceSpec spec, Settings settings) {
        if (spec.provider().isPresent()) {
            return spec.provider().get();
        }
        if (spec.snapshot().isEmpty()) {
            return ProviderId.LOCAL;
        }
        String configured = settings.get(SNAPSHOT_PROVIDER_KEY).orElse(null);
        if (configured != null) {
            ProviderId named = ProviderId.of(configured);
            if (ProviderRegistry.find(named).isEmpty()) {
                throw new ConfigurationException(SNAPSHOT_PROVIDER_KEY, configured,
                        "the name of a registered provider (" + ProviderRegistry.names() + ")");
            }
            return named;
        }
        return ProviderRegistry.find(ProviderId.DAYTONA).filter(p -> p.availability(settings).available()).isPresent()
                ? ProviderId.DAYTONA : ProviderId.DOCKER;
    }

    /**
     * The registered provider of this name.
     *
     * @throws InvalidInputException naming the registered providers when there is none of this name
     */
    public static WorkspaceProvider provider(ProviderId id) {
        return ProviderRegistry.find(id).orElseThrow(() -> new InvalidInputException("No provider named '" + id
                + "' is registered; the registered ones are " + ProviderRegistry.names() + ". Choose one of them, or"
                + " put the jar of the provider '" + id + "' on the classpath."));
    }

    /** Every registered provider, the built-in ones first. */
    public static List<WorkspaceProvider> providers() {
        return ProviderRegistry.all();
    }
}
