package dev.magpie.sandbox.daytona;

import java.util.Objects;
import java.util.Optional;

/** A Daytona volume mounted into a sandbox, optionally only a subpath of it. */
public record DaytonaVolume(String volumeId, String mountPath, Optional<String> subpath) {

    public DaytonaVolume {
        Objects.requireNonNull(volumeId, "volumeId");
        Objects.requireNonNull(mountPath, "mountPath");
        Objects.requireNonNull(subpath, "subpath");
    }

    public static DaytonaVolume of(String volumeId, String mountPath) {
        return new DaytonaVolume(volumeId, mountPath, Optional.empty());
    }
}
