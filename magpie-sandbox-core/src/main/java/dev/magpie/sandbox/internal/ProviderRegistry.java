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
        return Optional.ofNullable(Loaded.BY_ID.get(id));
    }

    public static List<WorkspaceProvider> all() {
        return List.copyOf(Loaded.BY_ID.values());
    }

    /** The registered names, for messages: {@code local, docker, daytona}. */
    public static String names() {
        return Loaded.BY_ID.keySet().stream().map(ProviderId::name).collect(Collectors.joining(", "));
    }

    /** Loaded on first use; the class is initialised once per class loader, so this is loaded once. */
    private static final class Loaded {
        static final Map<ProviderId, WorkspaceProvider> BY_ID = load();

        private static Map<ProviderId, WorkspaceProvider> load() {
            List<WorkspaceProvider> found = new ArrayList<>();
            ServiceLoader.load(WorkspaceProvider.class, WorkspaceProvider.class.getClassLoader()).forEach(found::add);
            found.sort(Comparator.comparingInt(p -> {
                int index = BUILT_IN.indexOf(p.id());
                return index < 0 ? BUILT_IN.size() : index;
            }));
            Map<ProviderId, WorkspaceProvider> byId = new LinkedHashMap<>();
            for (WorkspaceProvider provider : found) {
                WorkspaceProvider previous = byId.putIfAbsent(provider.id(), provider);
                if (previous != null && previous.getClass() != provider.getClass()) {
                    throw new InvalidInputException("Two providers are registered as '" + provider.id() + "': "
                            + previous.getClass().getName() + " and " + provider.getClass().getName()
                            + ". Remove one of the jars from the classpath.");
                }
            }
            return java.util.Collections.unmodifiableMap(byId);
        }
    }
}
