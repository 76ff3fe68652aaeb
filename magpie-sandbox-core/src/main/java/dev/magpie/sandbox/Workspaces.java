package dev.magpie.sandbox;

import dev.magpie.sandbox.internal.ProviderRegistry;
import dev.magpie.sandbox.internal.WarmPools;
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
 *
 * <p><b>Warm pools.</b> With {@value #POOL_SIZE_KEY} (or {@code magpie.<provider>.pool.size}) above 0, a spec asked
 * for a second time gets a pool: up to that many sandboxes of it are made ahead, in the background, by the provider's
 * own {@code create}, at most {@value #POOL_INFLIGHT_KEY} at once per provider. {@link #create} then hands out a ready
 * one, used once and destroyed as usual, or creates one itself when none is ready, with the errors a create has.
 * A spec naming an existing {@code path} is never pooled. A pool belongs to one {@link Settings} instance, whose
 * values its sandboxes are made with, and serves only the requests made with that instance: reuse one instance for
 * the requests that should share pools. A pooled sandbox is made from its clone source as it was at the refill: pin
 * a clone's {@code ref} to a commit or tag when the source changes during the run. {@link #drainPools} removes them,
 * and so does a shutdown hook.
 */
public final class Workspaces {

    /** Where a spec without a provider sends a snapshot: {@code docker}, {@code daytona}, or another provider. */
    public static final String SNAPSHOT_PROVIDER_KEY = "magpie.sandbox.snapshot-provider";

    /** Sandboxes a warm pool keeps ready per spec: a number, 0 (the default) for none, or {@code auto}. */
    public static final String POOL_SIZE_KEY = "magpie.pool.size";

    /** Creations a provider's warm pools may have running at once (default 2). */
    public static final String POOL_INFLIGHT_KEY = "magpie.pool.inflight";

    /** How long a pooled sandbox may wait before it is destroyed instead of handed out (default 10m). */
    public static final String POOL_MAX_IDLE_KEY = "magpie.pool.max-idle";

    private Workspaces() {
    }

    /**
     * Validates the spec with its provider, then creates the workspace, or takes it from the spec's warm pool.
     *
     * @throws InvalidInputException when the provider cannot honour the spec; nothing was created
     * @throws ProviderUnavailableException when the provider cannot work here
     */
    public static Workspace create(WorkspaceSpec spec, Settings settings) {
        WorkspaceProvider provider = provider(resolve(spec, settings));
        provider.validate(spec, settings);
        return WarmPools.take(provider, spec, settings);
    }

    /**
     * Checks the warm pool keys that {@link #create} reads for this provider, so that a mistake in them is reported
     * before anything is created.
     *
     * @throws ConfigurationException naming the key whose value pools cannot use
     */
    public static void checkPoolSettings(ProviderId provider, Settings settings) {
        WarmPools.check(provider, settings);
    }

    /**
     * Destroys every sandbox of this JVM's warm pools and waits for the creations under way; a later request
     * starts its pool again. The JUnit extension calls it when the launcher session ends.
     *
     * @throws WorkspaceException when a pooled sandbox could not be destroyed
     */
    public static void drainPools() {
        WarmPools.drain();
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
