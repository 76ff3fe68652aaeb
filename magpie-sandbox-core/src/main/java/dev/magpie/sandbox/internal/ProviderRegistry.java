package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.InvalidInputException;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.spi.WorkspaceProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** The providers registered through {@link ServiceLoader}, loaded once with this class's loader. */
public final class ProviderRegistry {

    private static final List<ProviderId> BUILT_IN = List.of(ProviderId.LOCAL, ProviderId.DOCKER, ProviderId.DAYTONA);

    private ProviderRegistry() {
    }

    /** The provider of this name, if one is registered. */
    public static Optional<WorkspaceProvider> find(ProviderId id) {
        return Optional.ofNullable(byId().get(id));
    }

    public static List<WorkspaceProvider> all() {
        return List.copyOf(byId().values());
    }

    /** The registered names, for messages: {@code local, docker, daytona}. */
    public static String names() {
        return byId().keySet().stream().map(ProviderId::name).collect(Collectors.joining(", "));
    }

    /** The providers by name; a conflict found when loading them is thrown at every use, not hidden in the loader. */
    private static Map<ProviderId, WorkspaceProvider> byId() {
        if (Loaded.CONFLICT != null) {
            throw new InvalidInputException(Loaded.CONFLICT);
        }
        return Loaded.BY_ID;
    }

    /** Loaded on first use; the class is initialised once per class loader, so this is loaded once. */
    private static final class Loaded {
        static final Map<ProviderId, WorkspaceProvider> BY_ID = new LinkedHashMap<>();
        static final String CONFLICT = load(BY_ID);

        /** Fills {@code byId}; returns what is wrong with the registrations, or null. */
        private static String load(Map<ProviderId, WorkspaceProvider> byId) {
            List<WorkspaceProvider> found = new ArrayList<>();
            ServiceLoader.load(WorkspaceProvider.class, WorkspaceProvider.class.getClassLoader()).forEach(found::add);
            found.sort(Comparator.comparingInt(p -> {
                int index = BUILT_IN.indexOf(p.id());
                return index < 0 ? BUILT_IN.size() : index;
            }));
            for (WorkspaceProvider provider : found) {
                WorkspaceProvider previous = byId.putIfAbsent(provider.id(), provider);
                if (previous != null && previous.getClass() != provider.getClass()) {
                    return "Two providers are registered as '" + provider.id() + "': " + previous.getClass().getName()
                            + " and " + provider.getClass().getName() + ". Remove one of the jars from the classpath.";
                }
            }
            return null;
        }
    }
}
