package dev.magpie.sandbox.local;

import dev.magpie.sandbox.BackgroundProcess;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.Isolation;
import dev.magpie.sandbox.NetworkPolicy;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Transcript;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.internal.BackgroundProcesses;
import dev.magpie.sandbox.internal.GithubShorthand;
import dev.magpie.sandbox.internal.PathRules;
import dev.magpie.sandbox.internal.TreeDeleter;
import dev.magpie.sandbox.internal.WorkspaceCore;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A workspace in a directory of this machine: an existing directory (never deleted), a fresh clone of a
 * repository, or an empty temporary directory (both deleted on destroy).
 *
 * <p>Commands run without a shell, with the workspace's environment: the variables of this JVM's environment
 * named by {@value #INHERIT_ENV_KEY} (by default PATH, HOME, LANG, LANGUAGE, LC_*, TERM, TZ, USER, LOGNAME, SHELL,
 * TMPDIR and JAVA_HOME), then the variables given to the workspace, then the request's. The values of those whose
 * name looks secret are masked in the transcript and in messages about results.
 *
 * <p>A timeout kills every process the command started, and destroy every process the workspace's commands left
 * running, daemons included, before the directory is deleted. Where the cgroup v1 freezer hierarchy is writable
 * (Linux, as root or delegated) each command runs in a cgroup, which holds its processes whatever they do; the
 * next JVM kills what a killed JVM left there. Elsewhere processes are found by environment markers (the next JVM
 * kills a killed JVM's processes that kept them), their parentage and, on destroy of an owned directory (and the
 * sweep of a killed JVM's directories), their working directory. Java reports a
 * signal death as exit status 128 + signal, so an explicit {@code exit 129} to {@code exit 192} also reads as
 * {@link ExecResult#KILLED}. File operations resolve paths from the working directory, opened once, one component
 * at a time without letting the system follow a link: a symlink leading inside is followed, one leading outside
 * is refused, and processes swapping directories for symlinks meanwhile cannot lead a call outside. Thread-safe.
 *
 * <p>With {@value #ISOLATION_KEY} {@code = namespaces} (or {@link dev.magpie.sandbox.WorkspaceSpec#isolation()})
 * each command runs in a sandbox of its own made by bubblewrap: the directory, mounted at {@code /workspace}, is
 * the only writable place it sees beside a private {@code /tmp}; the system directories are read-only; it has its
 * own process tree, which ends with the command (nothing it starts outlives it); no network unless
 * {@value #NETWORK_KEY} {@code = host}; resource limits ({@code magpie.local.limit.*}); and an environment of
 * {@code PATH}, {@code HOME=/tmp} and {@code LANG=C.UTF-8} plus the workspace's and the request's variables only.
 * {@link #workingDir()} is then {@code /workspace}, and file operations take paths under it (or relative ones),
 * carried out from this side on the directory.
 *
 * <p>{@link #endpoint(int)} is {@code http://127.0.0.1:<port>}: commands share this machine's network. An isolated
 * workspace shares it only with {@value #NETWORK_KEY} {@code = host}; under the default {@code none} its commands
 * have a loopback of their own that this JVM cannot reach, and {@code endpoint} says so. Where bubblewrap is missing or cannot make namespaces, creating such
 * a workspace throws {@link dev.magpie.sandbox.ProviderUnavailableException} with the reason; it never runs
 * commands unisolated instead.
 */
public final class LocalWorkspace implements Workspace {

    /** Where GitHub shorthand {@code org/name} clones from: a URL, or a directory of repositories. */
    public static final String GITHUB_BASE_KEY = GithubShorthand.BASE_KEY;
    /** Whether clones of one source share a fetched mirror within the JVM ({@code true} by default). */
    public static final String CLONE_CACHE_KEY = "magpie.local.clone-cache";
    /** How long one git command of a clone may take (default {@code 10m}). */
    public static final String CLONE_TIMEOUT_KEY = "magpie.local.clone-timeout";
    /** The GitHub CLI used for shorthand when it is logged in (default {@code gh} on the PATH). */
    public static final String GH_KEY = "magpie.local.gh";
    /** The git program (default {@code git} on the PATH). */
    public static final String GIT_KEY = "magpie.local.git";
    /** The directory under which temporary workspaces and mirrors are created; read once per JVM. */
    public static final String TEMP_ROOT_KEY = "magpie.local.temp-root";
    /**
     * The variables of this JVM's environment that commands inherit: names separated by commas, a trailing
     * {@code *} matching a prefix ({@code PATH,HOME,LC_*,MAVEN_OPTS}). Replaces the default list.
     */
    public static final String INHERIT_ENV_KEY = "magpie.local.inherit-env";
    /** How commands are isolated: {@code none} (the default) or {@code namespaces}; see {@link Isolation}. */
    public static final String ISOLATION_KEY = "magpie.local.isolation";
    /** The network of isolated commands: {@code none} (the default: only their own loopback) or {@code host}. */
    public static final String NETWORK_KEY = NetworkPolicy.KEY;
    /** The bubblewrap program of isolated workspaces (default {@code bwrap} on the PATH). */
    public static final String BWRAP_KEY = "magpie.local.bwrap";
    /** How many processes an isolated workspace's commands may have at once (default 1024), where cgroups allow. */
    public static final String LIMIT_PROCESSES_KEY = "magpie.local.limit.processes";
    /** The largest file an isolated command may write ({@code 512m}, {@code 4g}, {@code unlimited}; default 4g). */
    public static final String LIMIT_FILE_SIZE_KEY = "magpie.local.limit.file-size";
    /** The CPU time of each process of an isolated command ({@code 30s}, {@code unlimited}, the default). */
    public static final String LIMIT_CPU_TIME_KEY = "magpie.local.limit.cpu-time";
    /** The address space of each process of an isolated command ({@code 2g}, {@code unlimited}, the default). */
    public static final String LIMIT_MEMORY_KEY = "magpie.local.limit.memory";

    private final WorkspaceCore core;
    private final Path directory;
    private final boolean owned;
    private final Map<String, String> env;
    private final LocalFiles files;
    private final LocalRuntime runtime;
    private final String owner = UUID.randomUUID().toString();
    private final LocalSandbox sandbox;
    private final AtomicBoolean ranCommands = new AtomicBoolean();
    private final BackgroundProcesses background;

    private LocalWorkspace(Path realDirectory, boolean owned, Map<String, String> env, Settings settings,
                           LocalRuntime runtime) {
        this.directory = realDirectory;
        this.owned = owned;
        this.sandbox = LocalSandbox.isolation(settings) == Isolation.NAMESPACES
                ? LocalSandbox.open(settings, env, owner) : null;
        // Isolated, users see /workspace; the files are reached on this side, under the directory.
        this.core = sandbox == null ? WorkspaceCore.lexical(ProviderId.LOCAL, this)
                : new WorkspaceCore(ProviderId.LOCAL, this, path -> realDirectory
                        + PathRules.resolve(Bubblewrap.WORKSPACE, path).substring(Bubblewrap.WORKSPACE.length()));
        this.env = sandbox == null ? Map.copyOf(LocalEnvironment.of(settings, env)) : sandbox.env();
        core.addSecretsOf(this.env);
        this.files = LocalFiles.open(realDirectory);
        this.runtime = runtime;
        this.background = new BackgroundProcesses(new LocalServices(this,
                (shown, actual) -> core.exec(shown, actual, this::doExec)),
                core.transcript()::redact);
    }

    /** Uses an existing directory; destroy leaves it in place. */
    public static LocalWorkspace fromPath(Path directory) {
        return fromPath(directory, Map.of());
    }

    /** Uses an existing directory with extra environment variables for every command. */
    public static LocalWorkspace fromPath(Path directory, Map<String, String> env) {
        return fromPath(directory, env, Settings.fromSystem());
    }

    /** Uses an existing directory with extra environment variables, configured by {@code settings}. */
    public static LocalWorkspace fromPath(Path directory, Map<String, String> env, Settings settings) {
        if (!Files.isDirectory(directory)) {
            throw new WorkspaceException("Expected an existing directory for a local workspace, but "
                    + directory.toAbsolutePath() + (Files.exists(directory) ? " is not a directory" : " does not exist")
                    + ". Create it first or point at another path.");
        }
        checkIsolation(settings);
        try {
            return new LocalWorkspace(directory.toRealPath(), false, env, settings, LocalRuntime.shared());
        } catch (IOException e) {
            throw new WorkspaceException("Could not resolve " + directory.toAbsolutePath() + ": " + e, e);
        }
    }

    /** A new empty temporary directory, deleted on destroy. */
    public static LocalWorkspace temporary(Map<String, String> env) {
        return temporary(env, Settings.fromSystem());
    }

    /** A new empty temporary directory with extra environment variables, configured by {@code settings}. */
    public static LocalWorkspace temporary(Map<String, String> env, Settings settings) {
        checkIsolation(settings);
        LocalRuntime runtime = LocalRuntime.shared();
        return new LocalWorkspace(runtime.tempDirs().create("temp"), true, env, settings, runtime);
    }

    /** A fresh clone of {@code org/name}, a git URL or a local path, with the system settings. */
    public static LocalWorkspace fromClone(String source) {
        return fromClone(CloneSpec.of(source));
    }

    /** A fresh clone in a new temporary directory, deleted on destroy. */
    public static LocalWorkspace fromClone(CloneSpec spec) {
        return fromClone(spec, Map.of(), Settings.fromSystem());
    }

    /**
     * A fresh clone with extra environment variables for every command, configured by {@code settings} (GitHub
     * base, cache, git program, timeout, inherited variables).
     *
     * @throws dev.magpie.sandbox.ProviderUnavailableException when git cannot be started
     * @throws WorkspaceException when the clone fails; the message carries git's stderr, credentials redacted
     */
    public static LocalWorkspace fromClone(CloneSpec spec, Map<String, String> env, Settings settings) {
        checkIsolation(settings);
        LocalRuntime runtime = LocalRuntime.shared();
        Path clone = runtime.cloner().cloneInto(spec, settings);
        return new LocalWorkspace(clone, true, env, settings, runtime);
    }

    /**
     * A copy of the spec's prepared state ({@link dev.magpie.sandbox.Preparation}) in a new temporary directory,
     * deleted on destroy; the preparation runs first when no workspace of this JVM (or, kept, of an earlier run)
     * has run it.
     *
     * @throws dev.magpie.sandbox.PreparationException when the preparation failed, now or earlier in this JVM
     */
    static LocalWorkspace fromPrepared(WorkspaceSpec spec, Settings settings) {
        checkIsolation(settings);
        LocalRuntime runtime = LocalRuntime.shared();
        return new LocalWorkspace(runtime.preparedTrees().copy(spec, settings), true, spec.env(), settings, runtime);
    }

    /** The directory on this machine (its real path). */
    public Path directory() {
        return directory;
    }

    /** How this workspace's commands are isolated. */
    public Isolation isolation() {
        return sandbox == null ? Isolation.NONE : Isolation.NAMESPACES;
    }

    /** Whether destroy deletes the directory. */
    public boolean ownsDirectory() {
        return owned;
    }

    @Override
    public String id() {
        return directory.toString();
    }

    @Override
    public String workingDir() {
        return sandbox == null ? directory.toString() : Bubblewrap.WORKSPACE;
    }

    @Override
    public ProviderId provider() {
        return core.provider();
    }

    @Override
    public Transcript transcript() {
        return core.transcript();
    }

    @Override
    public ExecResult exec(ExecRequest request) {
        return core.exec(request, this::doExec);
    }

    @Override
    public BackgroundProcess start(ExecRequest request) {
        java.util.Objects.requireNonNull(request, "request");
        core.checkOpen();
        return background.start(request);
    }

    @Override
    public URI endpoint(int port) {
        core.checkOpen();
        URI loopback = LocalServices.loopback(port);
        if (sandbox != null && !sandbox.sharesNetwork()) {
            throw new WorkspaceException("Port " + port + " of isolated workspace " + id() + " cannot be reached from"
                    + " this JVM: its commands have a network of their own (" + NETWORK_KEY + " = none). Set "
                    + NETWORK_KEY + " = host to share this machine's network with them.");
        }
        return loopback;
    }

    @Override
    public byte[] readFile(String path) {
        return doReadFile(core.resolve(path));
    }

    @Override
    public void writeFile(String path, byte[] content) {
        Objects.requireNonNull(content, "content");
        doWriteFile(core.resolve(path), content);
    }

    @Override
    public boolean exists(String path) {
        return doExists(core.resolve(path));
    }

    @Override
    public List<String> list(String directory) {
        return doList(core.resolve(directory));
    }

    @Override
    public void delete(String path) {
        doDelete(core.resolveForDelete(path));
    }

    @Override
    public void destroy() {
        core.destroy(this::doDestroy);
    }

    @Override
    public String toString() {
        return core.describe();
    }

    private ExecResult doExec(ExecRequest request) {
        String where = request.subdirectory().map(core::resolve).orElse(directory.toString());
        if (!files.isDirectory(where)) {
            throw new WorkspaceException("Cannot run " + request.command().get(0) + " in subdirectory '"
                    + request.subdirectory().orElse("") + "': " + where
                    + (files.exists(where) ? " is not a directory" : " does not exist")
                    + ". Create it first, or pass a subdirectory that exists.");
        }
        ranCommands.set(true);
        if (sandbox != null) {
            return sandbox.run(runtime.runner(), request, directory, LocalSandbox.inside(directory, where));
        }
        return runtime.runner().run(request, new File(where), env, owner);
    }

    /** Refuses, before anything is created, an isolation that cannot be had here. */
    private static void checkIsolation(Settings settings) {
        if (LocalSandbox.isolation(settings) == Isolation.NAMESPACES) {
            LocalSandbox.check(settings);
        }
    }

    private byte[] doReadFile(String absolutePath) {
        return files.read(absolutePath);
    }

    private void doWriteFile(String absolutePath, byte[] content) {
        files.write(absolutePath, content);
    }

    private boolean doExists(String absolutePath) {
        return files.exists(absolutePath);
    }

    private List<String> doList(String absolutePath) {
        return files.list(absolutePath);
    }

    private void doDelete(String absolutePath) {
        files.delete(absolutePath);
    }

    private void doDestroy() {
        try {
            background.stopAll();
        } finally {
            // Every process first: one left running could write into the directory while it is deleted.
            // An isolated workspace's group holds its processes; without one they are looked for.
            boolean killed = sandbox != null && sandbox.close();
            if (ranCommands.get() && !killed) {
                runtime.runner().killOwned(owner, owned ? directory : null);
            }
            files.close();
            if (owned) {
                TreeDeleter.delete(directory);
            }
        }
    }
}
