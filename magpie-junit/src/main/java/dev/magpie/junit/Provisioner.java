package dev.magpie.junit;

import dev.magpie.sandbox.ConfigurationException;
import dev.magpie.sandbox.InvalidInputException;
import dev.magpie.sandbox.ProviderUnavailableException;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.Workspaces;
import dev.magpie.sandbox.spi.WorkspaceProvider;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/** Validates declarations and creates their sandboxes in one extension context, storing each for cleanup. */
final class Provisioner {

    private static final Namespace NAMESPACE = Namespace.create(SandboxExtension.class);
    private static final String STORE_CLOSES_AUTOCLOSEABLE = "junit.jupiter.extensions.store.close.autocloseable.enabled";

    private final ExtensionContext context;
    private final Settings settings;

    Provisioner(ExtensionContext context) {
        this.context = context;
        this.settings = shared(context.getRoot(), Settings.class, Map.of());
    }

    /** A declaration's pool size, under its provider's key; the settings of each are shared by the whole run. */
    private record PoolSize(String key, String size) {
    }

    /** A checked declaration, ready to create. */
    record Plan(Declaration declaration, WorkspaceSpec spec, WorkspaceProvider provider, CleanupMode cleanup,
            Settings settings) {
    }

    /** Checks the declaration without creating anything: attributes, placeholders, type, cleanup mode. */
    Plan plan(Declaration declaration) {
        WorkspaceSpec spec = new SpecResolver(settings).spec(declaration);
        WorkspaceProvider provider;
        try {
            provider = Workspaces.provider(Workspaces.resolve(spec, settings));
            provider.validate(spec, settings);
        } catch (InvalidInputException e) {
            throw declaration.invalid(e.getMessage());
        }
        declaration.checkType(provider);
        return new Plan(declaration, spec, provider, cleanupMode(declaration), poolSettings(declaration, provider));
    }

    /** Creates the sandbox and stores it so that JUnit closes it when the context ends. */
    Workspace create(Plan plan) {
        Declaration declaration = plan.declaration();
        if (context.getConfigurationParameter(STORE_CLOSES_AUTOCLOSEABLE).filter("false"::equalsIgnoreCase).isPresent()) {
            throw new ExtensionConfigurationException("@Sandbox on " + declaration.description() + ": "
                    + STORE_CLOSES_AUTOCLOSEABLE + "=false would leave every sandbox behind; remove that setting.");
        }
        Workspace workspace;
        try {
            workspace = Workspaces.create(plan.spec(), plan.settings());
        } catch (ProviderUnavailableException e) {
            throw new Availability(settings).unavailable(declaration, e);
        } catch (RuntimeException e) {
            throw new WorkspaceException("Could not create the sandbox for " + declaration.description() + " from "
                    + plan.spec() + ": " + e.getMessage(), e);
        }
        try {
            declaration.checkInstance(workspace);
        } catch (RuntimeException e) {
            try {
                workspace.destroy();
            } catch (RuntimeException destroyFailure) {
                e.addSuppressed(destroyFailure);
            }
            throw e;
        }
        SandboxResource resource = new SandboxResource(workspace, plan.provider(), declaration, plan.cleanup(),
                context);
        context.getStore(NAMESPACE).put(resource, resource);
        return workspace;
    }

    /**
     * The settings with the declaration's pool size over the configured ones, which it overrides, checked as a
     * create would read them.
     */
    private Settings poolSettings(Declaration declaration, WorkspaceProvider provider) {
        String pool = new SpecResolver(settings).pool(declaration);
        PoolSize size = new PoolSize(provider.id().key("pool.size"), pool);
        Settings chosen = pool.isEmpty() ? settings
                : shared(context.getRoot(), size, Map.of(size.key(), size.size()));
        try {
            Workspaces.checkPoolSettings(provider.id(), chosen);
        } catch (ConfigurationException e) {
            if (!pool.isEmpty() && e.key().equals(size.key())) {
                throw declaration.invalid("pool '" + pool + "' is not a pool size. Write a number of sandboxes (0"
                        + " for none), auto for one per processor, or leave it empty to follow the configuration.");
            }
            throw new ExtensionConfigurationException(e.getMessage(), e);
        }
        return chosen;
    }

    /**
     * The run's one {@link Settings} for these values over the configuration: a warm pool serves the requests made
     * with one instance, so that building one per test would give every test a pool of its own. Kept in the root
     * context, whose configuration parameters are every test's, so that no test's context outlives its test.
     */
    @SuppressWarnings("deprecation") // computeIfAbsent, its successor, is missing from JUnit 5.14
    private static Settings shared(ExtensionContext root, Object key, Map<String, String> values) {
        return root.getStore(NAMESPACE).getOrComputeIfAbsent(key, k -> Settings.builder().values(values)
                .source(root::getConfigurationParameter).build(), Settings.class);
    }

    private CleanupMode cleanupMode(Declaration declaration) {
        CleanupMode mode = declaration.annotation().cleanup();
        if (mode != CleanupMode.DEFAULT) {
            return mode;
        }
        String key = Sandbox.DEFAULT_CLEANUP_MODE_PROPERTY_NAME;
        String value = settings.get(key).orElse("always").toUpperCase(Locale.ROOT);
        try {
            CleanupMode configured = CleanupMode.valueOf(value);
            if (configured != CleanupMode.DEFAULT) {
                return configured;
            }
        } catch (IllegalArgumentException e) {
            // reported below with the expected values
        }
        throw new ExtensionConfigurationException("Configuration key '" + key + "' (environment variable "
                + Settings.environmentName(key) + ") must be always, on_success or never, but was '"
                + settings.get(key).orElse("") + "'.");
    }
}
