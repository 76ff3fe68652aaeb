package dev.magpie.sandbox.docker;

import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.ConfigurationException;
import dev.magpie.sandbox.InvalidInputException;
import dev.magpie.sandbox.NetworkPolicy;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.internal.GithubShorthand;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a provider-neutral {@link WorkspaceSpec} and the {@code magpie.docker.*} settings into a
 * {@link DockerWorkspace}: the spec's snapshot is the image, its clone source the repository.
 */
public final class DockerWorkspaces {

    /** The image when the spec names no snapshot. */
    public static final String IMAGE_KEY = "magpie.docker.image";
    /** The working directory when the spec names none; default {@value DockerWorkspace#DEFAULT_WORKING_DIR}. */
    public static final String WORKING_DIR_KEY = "magpie.docker.working-dir";
    /** Replaced by {@link NetworkPolicy#KEY}; refused so that a setting of it is never silently ignored. */
    private static final String REMOVED_NETWORK_KEY = "magpie.docker.network";
    /** A memory limit such as {@code 512m} or {@code 2g}; none by default. */
    public static final String MEMORY_KEY = "magpie.docker.memory";
    /** A CPU limit in cores such as {@code 1.5}; none by default. */
    public static final String CPUS_KEY = "magpie.docker.cpus";
    /** {@code auto}, {@code in-container} or {@code on-host}: who clones the spec's repository. */
    public static final String CLONE_MODE_KEY = "magpie.docker.clone-mode";
    /** How long the engine may take to answer before it counts as absent. */
    public static final String PROBE_TIMEOUT_KEY = "magpie.docker.probe-timeout";

    /** Where {@code org/name} clone sources point; the same setting as for local workspaces. */
    static final String GITHUB_BASE_KEY = GithubShorthand.BASE_KEY;

    private static final Pattern MEMORY = Pattern.compile("(\\d+)\\s*([kmg]?)b?");

    private DockerWorkspaces() {
    }

    /** Refuses what a container cannot honour, and bad {@code magpie.docker.*} settings, before anything starts. */
    static void validate(WorkspaceSpec spec, Settings settings) {
        if (spec.path().isPresent()) {
            throw new InvalidInputException("A Docker workspace starts from an image, but the spec names path '"
                    + spec.path().get() + "'. Remove path, or use DockerWorkspace.builder(image).copyFrom(path) to copy"
                    + " a directory in.");
        }
        image(spec, settings);
        NetworkPolicy.from(settings);
        settings.get(REMOVED_NETWORK_KEY).ifPresent(value -> {
            throw new ConfigurationException(REMOVED_NETWORK_KEY, value, "unset: the key is gone; set "
                    + NetworkPolicy.KEY + "=none (or host), the network policy of every provider, instead");
        });
        memory(settings);
        cpus(settings);
        cloneMode(settings);
    }

    /** Creates the container workspace a spec describes. */
    static DockerWorkspace create(WorkspaceSpec spec, Settings settings) {
        if (spec.prepare().isPresent()) {
            return PreparedImages.create(spec, settings);
        }
        DockerWorkspaceBuilder builder = container(spec, settings, image(spec, settings));
        spec.cloneFrom().ifPresent(source -> builder.repository(expandShorthand(source, settings)));
        spec.ref().ifPresent(builder::ref);
        return builder.build();
    }

    /** A container of the image as the spec and the settings describe it, without the spec's repository. */
    static DockerWorkspaceBuilder container(WorkspaceSpec spec, Settings settings, String image) {
        return DockerWorkspace.builder(image)
                .workingDir(workingDir(spec, settings))
                .env(spec.env())
                .network(NetworkPolicy.from(settings).orElse(NetworkPolicy.HOST) == NetworkPolicy.HOST)
                .memoryBytes(memory(settings))
                .cpus(cpus(settings))
                .cloneMode(cloneMode(settings))
                .probeTimeout(settings.getDuration(PROBE_TIMEOUT_KEY, DockerEngine.DEFAULT_PROBE_TIMEOUT));
    }

    static String workingDir(WorkspaceSpec spec, Settings settings) {
        return spec.workingDir().orElse(settings.get(WORKING_DIR_KEY, DockerWorkspace.DEFAULT_WORKING_DIR));
    }

    static String image(WorkspaceSpec spec, Settings settings) {
        return spec.snapshot().or(() -> settings.get(IMAGE_KEY)).orElseThrow(() -> new InvalidInputException(
                "A Docker workspace needs an image, but the spec names no snapshot and '" + IMAGE_KEY + "' is not set."
                        + " Set snapshot to the image name, or the configuration key '" + IMAGE_KEY + "'."));
    }

    /** {@code org/name} names a repository below the GitHub base that local workspaces use. */
    static String expandShorthand(String source, Settings settings) {
        if (!GithubShorthand.matches(source) || RepositoryLoader.isHostSource(source)) {
            return source;
        }
        return GithubShorthand.locate(source, settings.get(GITHUB_BASE_KEY, GithubShorthand.DEFAULT_BASE));
    }

    private static long memory(Settings settings) {
        return settings.get(MEMORY_KEY).map(value -> {
            Matcher m = MEMORY.matcher(value.toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw invalid(MEMORY_KEY, value, "a size such as 512m, 2g or a number of bytes");
            }
            int shift = switch (m.group(2)) {
                case "k" -> 10;
                case "m" -> 20;
                case "g" -> 30;
                default -> 0;
            };
            return Long.parseLong(m.group(1)) << shift;
        }).orElse(0L);
    }

    private static double cpus(Settings settings) {
        return settings.get(CPUS_KEY).map(value -> {
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw invalid(CPUS_KEY, value, "a number of cores such as 1 or 1.5");
            }
        }).orElse(0d);
    }

    private static DockerWorkspaceBuilder.CloneMode cloneMode(Settings settings) {
        String value = settings.get(CLONE_MODE_KEY, "auto");
        try {
            return DockerWorkspaceBuilder.CloneMode.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw invalid(CLONE_MODE_KEY, value, "auto, in-container or on-host");
        }
    }

    private static ConfigurationException invalid(String key, String value, String expected) {
        return new ConfigurationException(key, value, expected);
    }
}
