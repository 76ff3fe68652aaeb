package dev.magpie.sandbox.daytona;

import dev.magpie.sandbox.ConfigurationException;
import dev.magpie.sandbox.InvalidInputException;
import dev.magpie.sandbox.NetworkPolicy;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.ProviderUnavailableException;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.spi.Availability;
import dev.magpie.sandbox.spi.WorkspaceProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code daytona} provider: a remote sandbox from the spec's snapshot, configured by {@link DaytonaConfig}.
 * Besides the spec, the original's variables apply: {@code DAYTONA_SNAPSHOT_NAME} (when the spec names no
 * snapshot), {@code DAYTONA_ENV} ({@code K=V,K2=V2}, under the spec's env) and {@code DAYTONA_VOLUME_ID} with
 * {@code DAYTONA_VOLUME_MOUNT_PATH}. With {@code prepare}, a sandbox of a snapshot taken from a prepared one (see
 * {@link PreparedSnapshots}). Registered through {@link java.util.ServiceLoader}.
 */
public final class DaytonaProvider implements WorkspaceProvider {

    @Override
    public ProviderId id() {
        return ProviderId.DAYTONA;
    }

    @Override
    public Class<DaytonaWorkspace> workspaceType() {
        return DaytonaWorkspace.class;
    }

    @Override
    public void validate(WorkspaceSpec spec, Settings settings) {
        if (spec.path().isPresent() || spec.cloneFrom().isPresent()) {
            throw new InvalidInputException("The daytona provider starts from a snapshot, but the spec names a path "
                    + "or a clone: " + spec + ". Bake the repository into a snapshot, or use the local provider.");
        }
        settings.env("DAYTONA_ENV").ifPresent(DaytonaProvider::parsePairs);
        volume(settings);
        NetworkPolicy.from(settings);
    }

    @Override
    public Availability availability(Settings settings) {
        return DaytonaConfig.isConfigured(settings) ? Availability.AVAILABLE : Availability.unavailable(
                "no API key; set DAYTONA_API_KEY or " + DaytonaConfig.API_KEY);
    }

    @Override
    public Workspace create(WorkspaceSpec spec, Settings settings) {
        Availability availability = availability(settings);
        if (!availability.available()) {
            throw new ProviderUnavailableException(id(), availability.reason());
        }
        DaytonaCreateRequest.Builder request = DaytonaCreateRequest.builder()
                .snapshot(spec.snapshot().orElse(settings.env("DAYTONA_SNAPSHOT_NAME").orElse(null)));
        settings.env("DAYTONA_ENV").ifPresent(list -> request.env(parsePairs(list)));
        request.env(spec.env());
        volume(settings).ifPresent(request::volume);
        NetworkPolicy.from(settings).ifPresent(policy -> request.networkBlockAll(policy == NetworkPolicy.NONE));
        DaytonaClient client = DaytonaClient.of(DaytonaConfig.fromSettings(settings));
        if (spec.prepare().isPresent()) {
            return PreparedSnapshots.create(spec, settings, client, request.build());
        }
        return DaytonaWorkspace.create(client, request.build(), spec.workingDir().orElse(null));
    }

    @Override
    public Optional<String> describeKept(Workspace workspace) {
        return Optional.of("Daytona sandbox " + workspace.id() + " (working dir " + workspace.workingDir() + "); "
                + "reach it from the Daytona dashboard or API; delete it there, or with DaytonaSweep, or let its "
                + "auto-stop and auto-delete intervals remove it");
    }

    @Override
    public List<String> sweep(Settings settings) {
        if (!DaytonaConfig.isConfigured(settings)) {
            return List.of();
        }
        DaytonaConfig config = DaytonaConfig.fromSettings(settings);
        DaytonaClient client = DaytonaClient.of(config);
        List<String> removed = new java.util.ArrayList<>(DaytonaSweep.of(client).runForEndedJvms(config.owner())
                .deleted().stream().map(id -> "sandbox " + id).toList());
        PreparedSnapshots.sweep(client).forEach(name -> removed.add("prepared snapshot " + name));
        return removed;
    }

    static Map<String, String> parsePairs(String list) {
        Map<String, String> out = new LinkedHashMap<>();
        String[] pairs = list.split(",");
        for (int i = 0; i < pairs.length; i++) {
            String pair = pairs[i];
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                // Not echoed: a value holding a comma splits into an entry that is a piece of a secret.
                throw new ConfigurationException("DAYTONA_ENV", "(not shown: it may hold secrets)",
                        "K=V pairs separated by commas (a value cannot hold a comma), and entry " + (i + 1)
                                + " is not");
            }
            out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
        }
        return out;
    }

    private static Optional<DaytonaVolume> volume(Settings settings) {
        Optional<String> volume = settings.env("DAYTONA_VOLUME_ID");
        if (volume.isEmpty()) {
            return Optional.empty();
        }
        String mountPath = settings.env("DAYTONA_VOLUME_MOUNT_PATH").orElseThrow(() -> new ConfigurationException(
                "DAYTONA_VOLUME_MOUNT_PATH", "", "where the volume DAYTONA_VOLUME_ID is mounted, such as "
                        + "/home/daytona/volume, because DAYTONA_VOLUME_ID is set"));
        return Optional.of(DaytonaVolume.of(volume.get(), mountPath));
    }
}
