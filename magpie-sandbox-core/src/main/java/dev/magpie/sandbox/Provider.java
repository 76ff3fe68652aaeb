package dev.magpie.sandbox;

/** Where a workspace lives. */
public enum Provider {
    /**
     * Chosen from the spec and the configuration: a path or a clone is {@link #LOCAL}; a snapshot goes to the
     * provider named by {@code magpie.sandbox.snapshot-provider}.
     */
    AUTO,
    /** A directory on this machine: an existing one, a fresh clone, or an empty temporary one. */
    LOCAL,
    /** A container from an image on a Docker engine. */
    DOCKER,
    /** A remote Daytona sandbox from a prebuilt snapshot. */
    DAYTONA
}
