package dev.magpie.sandbox.local;

import dev.magpie.sandbox.CommandStartException;
import dev.magpie.sandbox.ConfigurationException;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.Isolation;
import dev.magpie.sandbox.NetworkPolicy;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.ProviderUnavailableException;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.ProcessRunner;
import dev.magpie.sandbox.spi.Availability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The isolation of one local workspace whose commands run in namespaces: its sandbox's environment, network
 * policy, limits and process-count group. See {@link Bubblewrap} for what a sandbox sees.
 *
 * <p>A command's environment starts empty: {@code PATH} (the system directories), {@code HOME} ({@code /tmp}, private
 * to the command), {@code LANG} ({@code C.UTF-8}) and {@code PWD} (set by bubblewrap), then the workspace's variables,
 * then the request's. Nothing of this JVM's environment is passed on.
 */
final class LocalSandbox {

    /** What every sandboxed command starts with. */
    static final Map<String, String> BASE_ENV = Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME", "/tmp", "LANG", "C.UTF-8");

    private final Bubblewrap bubblewrap;
    private final boolean shareNetwork;
    private final Bubblewrap.Limits limits;
    private final long processLimit;
    private final String owner;
    private final Map<String, String> env;
    /** Made by the first command: a workspace that runs none costs no group. */
    private ProcessCountGroup processes;

    private LocalSandbox(Bubblewrap bubblewrap, boolean shareNetwork, Bubblewrap.Limits limits, long processLimit,
                         String owner, Map<String, String> env) {
        this.bubblewrap = bubblewrap;
        this.shareNetwork = shareNetwork;
        this.limits = limits;
        this.processLimit = processLimit;
        this.owner = owner;
        this.env = env;
    }

    /** Whether commands share this machine's network, and so its loopback. */
    boolean sharesNetwork() {
        return shareNetwork;
    }

    /** The isolation the settings ask for: {@value LocalWorkspace#ISOLATION_KEY}, {@code none} by default. */
    static Isolation isolation(Settings settings) {
        return settings.get(LocalWorkspace.ISOLATION_KEY).map(value -> {
            try {
                return Isolation.of(value);
            } catch (WorkspaceException e) {
                throw new ConfigurationException(LocalWorkspace.ISOLATION_KEY, value, "none or namespaces");
            }
        }).orElse(Isolation.NONE);
    }

    /** Whether sandboxes can be made here with these settings. */
    static Availability availability(Settings settings) {
        return bubblewrap(settings).availability();
    }

    /**
     * Checks, before anything is created, that sandboxes can be made here and the settings are valid.
     *
     * @throws ProviderUnavailableException with the reason when they cannot
     */
    static void check(Settings settings) {
        Availability availability = availability(settings);
        if (!availability.available()) {
            throw new ProviderUnavailableException(ProviderId.LOCAL, "isolation = namespaces was asked for, but "
                    + availability.reason());
        }
        network(settings);
        limits(settings);
        processLimit(settings);
    }

    /** The isolation of a workspace whose own variables are {@code own}; {@link #check} has passed. */
    static LocalSandbox open(Settings settings, Map<String, String> own, String owner) {
        Map<String, String> env = new TreeMap<>(BASE_ENV);
        env.putAll(own);
        return new LocalSandbox(bubblewrap(settings), network(settings), limits(settings), processLimit(settings),
                owner, Map.copyOf(env));
    }

    /** The variables every command of the workspace starts with. */
    Map<String, String> env() {
        return env;
    }

    /**
     * Runs the request in a new sandbox of {@code workspace}, in {@code directory} (a path inside the sandbox).
     *
     * @throws CommandStartException when the program cannot be started inside the sandbox
     */
    ExecResult run(ProcessRunner runner, ExecRequest request, Path workspace, String directory) {
        Map<String, String> commandEnv = new TreeMap<>(env);
        commandEnv.putAll(request.env());
        Path options = null;
        try {
            // A command with a stdin of its own leaves no pipe for the options: they go through a file.
            options = request.hasStdin() ? Files.createTempFile("magpie-bwrap-", ".args") : null;
            // Started in /: the sandbox's first process keeps the launcher's environment, PWD included, and the
            // workspace's place on this machine is none of the command's business.
            ExecResult result = runner.runContained(request, bubblewrap.launch(options, workspace, directory,
                    shareNetwork, commandEnv, limits, processes().starter().orElse(null), request.command()), owner);
            if (Bubblewrap.couldNotStart(result.exitCode(), result.stderr())) {
                throw new CommandStartException(request.command().get(0), result.stderr().strip(), null);
            }
            return result;
        } catch (IOException e) {
            throw new WorkspaceException("Could not write the sandbox options for " + request.command().get(0)
                    + (options == null ? "" : " to " + options) + ": " + e.getMessage() + ". Check that "
                    + System.getProperty("java.io.tmpdir") + " is writable.", e);
        } finally {
            if (options != null) {
                try {
                    Files.deleteIfExists(options);
                } catch (IOException e) {
                    // The launcher unlinked it already, unless it never started.
                }
            }
        }
    }

    /**
     * Kills every process of the workspace's commands and removes the process-count group; false where the machine
     * has no group, and the caller must find them otherwise.
     */
    synchronized boolean close() {
        if (processes == null) {
            return true; // no command ran
        }
        processes.remove();
        return processes.exists();
    }

    private synchronized ProcessCountGroup processes() {
        if (processes == null) {
            processes = ProcessCountGroup.create(owner, processLimit);
        }
        return processes;
    }

    /** The workspace's directory as seen from inside the sandbox, for a host path at or below it. */
    static String inside(Path workspace, String hostPath) {
        String relative = workspace.relativize(Path.of(hostPath)).toString();
        return relative.isEmpty() ? Bubblewrap.WORKSPACE : Bubblewrap.WORKSPACE + "/" + relative;
    }

    private static Bubblewrap bubblewrap(Settings settings) {
        return new Bubblewrap(settings.get(LocalWorkspace.BWRAP_KEY, "bwrap"));
    }

    private static boolean network(Settings settings) {
        return NetworkPolicy.from(settings).orElse(NetworkPolicy.NONE) == NetworkPolicy.HOST;
    }

    private static long processLimit(Settings settings) {
        String key = LocalWorkspace.LIMIT_PROCESSES_KEY;
        String value = settings.get(key, "1024");
        try {
            long limit = Long.parseLong(value);
            if (limit >= 1) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new ConfigurationException(key, value, "a number of processes of at least 1");
    }

    private static Bubblewrap.Limits limits(Settings settings) {
        return new Bubblewrap.Limits(
                size(settings, LocalWorkspace.LIMIT_FILE_SIZE_KEY, "4g", 512),
                settings.get(LocalWorkspace.LIMIT_CPU_TIME_KEY).filter(v -> !v.equalsIgnoreCase("unlimited"))
                        .map(v -> String.valueOf(Math.max(1, settings.getDuration(LocalWorkspace.LIMIT_CPU_TIME_KEY,
                                null).toSeconds())))
                        .orElse("unlimited"),
                size(settings, LocalWorkspace.LIMIT_MEMORY_KEY, "unlimited", 1024));
    }

    /** A size key ({@code unlimited}, or bytes with an optional k, m or g) in units of {@code unit} bytes. */
    private static String size(Settings settings, String key, String defaultValue, long unit) {
        String value = settings.get(key, defaultValue).toLowerCase(Locale.ROOT);
        if (value.equals("unlimited")) {
            return value;
        }
        try {
            char last = value.charAt(value.length() - 1);
            long factor = switch (last) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                case 'g' -> 1L << 30;
                default -> 1;
            };
            String digits = factor == 1 ? value : value.substring(0, value.length() - 1);
            long bytes = Math.multiplyExact(Long.parseLong(digits.trim()), factor);
            if (bytes >= unit) {
                return String.valueOf(bytes / unit);
            }
        } catch (NumberFormatException | ArithmeticException | StringIndexOutOfBoundsException e) {
            // Reported below.
        }
        throw new ConfigurationException(key, value, "a size such as 512m, 4g or 100000 (bytes, at least " + unit
                + "), or unlimited");
    }
}
