package dev.magpie.sandbox;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name of a provider: where a workspace lives. The built-in ones are {@link #LOCAL}, {@link #DOCKER} and
 * {@link #DAYTONA}; a provider added through {@link dev.magpie.sandbox.spi.WorkspaceProvider} names itself with
 * {@link #of(String)}. Compared by name.
 *
 * @param name lower-case letters, digits and dashes, starting with a letter: {@code local}, {@code docker}
 */
public record ProviderId(String name) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    /** A directory on this machine: an existing one, a fresh clone, or an empty temporary one. */
    public static final ProviderId LOCAL = new ProviderId("local");
    /** A container from an image on a Docker engine. */
    public static final ProviderId DOCKER = new ProviderId("docker");
    /** A remote Daytona sandbox from a prebuilt snapshot. */
    public static final ProviderId DAYTONA = new ProviderId("daytona");

    public ProviderId {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new InvalidInputException("A provider name is lower-case letters, digits and dashes, starting with"
                    + " a letter (such as local, docker, daytona), but was '" + name + "'. Use such a name.");
        }
    }

    /** The provider of this name; names are case-insensitive. */
    public static ProviderId of(String name) {
        return new ProviderId(Objects.requireNonNull(name, "name").trim().toLowerCase(java.util.Locale.ROOT));
    }

    /** The configuration key {@code magpie.<name>.<suffix>}, such as {@code magpie.docker.required}. */
    public String key(String suffix) {
        return "magpie." + name + "." + suffix;
    }

    @Override
    public String toString() {
        return name;
    }
}
