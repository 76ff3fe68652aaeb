package dev.magpie.sandbox.local;

import dev.magpie.sandbox.InvalidInputException;
import dev.magpie.sandbox.Isolation;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.spi.Availability;
import dev.magpie.sandbox.spi.WorkspaceProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code local} provider: an existing directory ({@code path}), a fresh clone ({@code clone}, {@code ref},
 * {@code depth}) or an empty temporary directory, its commands isolated or not ({@code isolation}); with
 * {@code prepare}, a copy of the prepared state of any of them (see {@link dev.magpie.sandbox.Preparation}). Registered through {@link java.util.ServiceLoader}.
 */
public final class LocalProvider implements WorkspaceProvider {

    @Override
    public ProviderId id() {
        return ProviderId.LOCAL;
    }

    @Override
    public Class<LocalWorkspace> workspaceType() {
        return LocalWorkspace.class;
    }

    @Override
    public void validate(WorkspaceSpec spec, Settings settings) {
        if (spec.snapshot().isPresent()) {
            throw new InvalidInputException("snapshot '" + spec.snapshot().get() + "' needs the docker or daytona "
                    + "provider, but provider = local, which starts from a path, a clone or an empty directory. Remove "
                    + "the snapshot, or choose another provider.");
        }
        if (spec.path().isEmpty() && spec.workingDir().isPresent()) {
            throw new InvalidInputException("The local provider runs a clone or temporary workspace in its root, but "
                    + "the spec sets workingDir '" + spec.workingDir().get() + "'. Remove workingDir and run commands "
                    + "there with ExecRequest.subdirectory instead.");
        }
    }

    @Override
    public Availability availability(Settings settings) {
        if (LocalSandbox.isolation(settings) == Isolation.NAMESPACES) {
            Availability sandboxes = LocalSandbox.availability(settings);
            return sandboxes.available() ? sandboxes : Availability.unavailable(LocalWorkspace.ISOLATION_KEY
                    + " = namespaces, but " + sandboxes.reason());
        }
        return Availability.AVAILABLE;
    }

    @Override
    public Workspace create(WorkspaceSpec spec, Settings configured) {
        // The spec's isolation overrides the configuration's.
        Settings settings = spec.isolation().map(isolation -> Settings.builder()
                .values(Map.of(LocalWorkspace.ISOLATION_KEY, isolation.key())).source(configured::get).build())
                .orElse(configured);
        if (spec.prepare().isPresent()) {
            return LocalWorkspace.fromPrepared(spec, settings);
        }
        if (spec.path().isPresent()) {
            Path path = Path.of(spec.path().get());
            return LocalWorkspace.fromPath(spec.workingDir().map(path::resolve).orElse(path), spec.env(), settings);
        }
        if (spec.cloneFrom().isPresent()) {
            CloneSpec.Builder clone = CloneSpec.builder(spec.cloneFrom().get()).ref(spec.ref().orElse(null));
            spec.depth().ifPresent(clone::depth);
            return LocalWorkspace.fromClone(clone.build(), spec.env(), settings);
        }
        return LocalWorkspace.temporary(spec.env(), settings);
    }

    @Override
    public Optional<String> describeKept(Workspace workspace) {
        LocalWorkspace local = (LocalWorkspace) workspace;
        if (!local.ownsDirectory()) {
            return Optional.empty();
        }
        Path dir = local.directory();
        return Optional.of("local directory " + dir + "; reach it with: cd " + dir + "; remove it with: rm -rf "
                + dir + " (or let a later run sweep it once this JVM has ended)");
    }

    @Override
    public List<String> sweep(Settings settings) {
        return LocalRuntime.shared().tempDirs().sweepStale().stream().map(path -> "directory " + path).toList();
    }
}
