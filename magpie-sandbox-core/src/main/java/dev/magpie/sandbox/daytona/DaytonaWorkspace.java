package dev.magpie.sandbox.daytona;

import dev.magpie.sandbox.BackgroundProcess;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.ProviderUnavailableException;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Transcript;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.internal.BackgroundProcesses;
import dev.magpie.sandbox.internal.WorkspaceCore;
import dev.magpie.sandbox.internal.PathRules;
import dev.magpie.sandbox.internal.ShellWords;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A remote Daytona sandbox created from a snapshot, used like any other workspace: commands run through the
 * sandbox's toolbox (stdout and stderr apart), files are read and written through it, and destroy deletes the
 * sandbox.
 *
 * <p>Commands run in toolbox sessions the workspace keeps (one per command running at once, created when first
 * needed, gone with the sandbox): a command without a listener is one request once its session exists, whether
 * or not it has a timeout; with a listener, it is started and polled (see {@link SessionExec}).
 *
 * <p>Creation waits for {@code started} (see {@link DaytonaClient#awaitStarted}), then runs the workspace setup
 * (git {@code safe.directory}, git user {@code Magpie <magpie@bot>}, {@code chmod -R 777}, {@code git checkout
 * -- .}, {@code gh auth setup-git}); a failing setup is tolerated and noted in the transcript. Any failure after
 * the sandbox exists deletes it before the exception is thrown. Sandboxes get auto-stop (30 min) and auto-delete
 * (right after stopping) intervals unless the request sets its own, so a crashed test run does not leave them
 * running.
 *
 * <p>Paths are refused outside the working directory lexically, then through symlinks: each file operation is one
 * {@code process/execute} that resolves the path with {@code realpath -m} in the sandbox and operates only when
 * it is inside (see {@link CheckedFiles}; reads past 256 KiB and writes past 48 KiB add the toolbox's download or
 * upload), and an exec in a subdirectory checks it the same way first. The sandbox therefore needs GNU coreutils
 * and findutils. Deleting a symlink deletes the link, never its target.
 *
 * <p>A background process ({@link #start(ExecRequest)}) is a command started asynchronously in a session of its
 * own and followed through its logs; its live stdin is a named pipe in a private directory of the sandbox's
 * {@code /tmp}. {@link #endpoint(int)} is a signed preview URL of the port, valid for 24 hours, which proxies HTTP
 * to the port and carries its token itself, so that it serves a private sandbox with no header.
 */
public final class DaytonaWorkspace implements Workspace {

    /** Minutes of inactivity before Daytona stops a sandbox the request did not give an interval. */
    public static final int DEFAULT_AUTO_STOP_MINUTES = 30;
    static final Duration SETUP_TIMEOUT = Duration.ofMinutes(2);

    private final WorkspaceCore core;
    private final DaytonaClient client;
    private final DaytonaToolbox toolbox;
    private final DaytonaSandbox sandbox;
    private final String workingDir;
    private final RealPathCheck realPaths;
    private final SessionPool sessions;
    private final CheckedFiles files;
    private final BackgroundProcesses background;

    private DaytonaWorkspace(DaytonaClient client, DaytonaToolbox toolbox, DaytonaSandbox sandbox, String workingDir) {
        this.core = WorkspaceCore.lexical(ProviderId.DAYTONA, this);
        this.client = client;
        this.toolbox = toolbox;
        this.sandbox = sandbox;
        this.workingDir = workingDir;
        this.realPaths = new RealPathCheck(toolbox, workingDir);
        this.sessions = new SessionPool(toolbox);
        this.files = new CheckedFiles(toolbox, realPaths);
        core.transcript().addSecret(client.config().apiKey());
        this.background = new BackgroundProcesses(new DaytonaServices(client, sandbox.id(),
                (shown, actual) -> core.exec(shown, actual, this::doExec), this::doExec), core.transcript()::redact);
    }

    /**
     * Creates a sandbox, waits until it is started and sets it up.
     *
     * @param workingDir where commands run: absolute, or relative to the sandbox's working directory; the
     *     sandbox's working directory when null
     * @throws DaytonaStartException when the sandbox does not start (it is deleted)
     * @throws DaytonaUnknownSnapshotException when the snapshot does not exist
     */
    public static DaytonaWorkspace create(DaytonaClient client, DaytonaCreateRequest request, String workingDir) {
        Objects.requireNonNull(client, "client");
        DaytonaCreateRequest.Builder withBackstops = request.newBuilder();
        if (request.autoStopMinutes().isEmpty()) {
            withBackstops.autoStopMinutes(DEFAULT_AUTO_STOP_MINUTES);
        }
        if (request.autoDeleteMinutes().isEmpty()) {
            withBackstops.autoDeleteMinutes(0);
        }
        DaytonaSandbox created = client.create(withBackstops.build());
        try {
            DaytonaSandbox started = client.awaitStarted(created, client.config().startTimeout());
            DaytonaToolbox toolbox = client.toolbox(started);
            String dir = resolveWorkingDir(toolbox, workingDir);
            DaytonaWorkspace workspace = new DaytonaWorkspace(client, toolbox, started, dir);
            workspace.core.addSecretsOf(request.env());
            workspace.setup();
            return workspace;
        } catch (RuntimeException e) {
            try {
                Http.uninterrupted(() -> client.delete(created.id()));
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** The sandbox as Daytona reported it when it started. */
    public DaytonaSandbox sandbox() {
        return sandbox;
    }

    /** The sandbox's toolbox, for operations this interface does not cover. */
    public DaytonaToolbox toolbox() {
        return toolbox;
    }

    @Override
    public String id() {
        return sandbox.id();
    }

    @Override
    public String workingDir() {
        return workingDir;
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
        Objects.requireNonNull(request, "request");
        core.checkOpen();
        return background.start(request);
    }

    @Override
    public URI endpoint(int port) {
        core.checkOpen();
        return background.endpoint(port);
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
        String dir = request.subdirectory().map(core::resolve).orElse(workingDir);
        if (request.subdirectory().isPresent()) {
            realPaths.checkDirectory(dir, relative(dir));
        }
        return SessionExec.run(toolbox, sessions, request, dir, request.env());
    }

    private byte[] doReadFile(String absolutePath) {
        return files.read(absolutePath, relative(absolutePath)).orElseThrow(() -> new WorkspaceException("No file at '"
                + relative(absolutePath) + "' in Daytona sandbox " + id() + " (" + workingDir + ")."));
    }

    private void doWriteFile(String absolutePath, byte[] content) {
        files.write(absolutePath, relative(absolutePath), content);
    }

    private boolean doExists(String absolutePath) {
        return files.exists(absolutePath, relative(absolutePath));
    }

    private List<String> doList(String absolutePath) {
        return files.list(absolutePath, relative(absolutePath)).orElseThrow(() -> new WorkspaceException(
                "No directory at '" + relative(absolutePath) + "' in Daytona sandbox " + id() + " (" + workingDir
                + ").")).stream().sorted().toList();
    }

    private void doDelete(String absolutePath) {
        files.delete(absolutePath, relative(absolutePath));
    }

    private void doDestroy() {
        try {
            background.stopAll();
        } finally {
            Http.uninterrupted(() -> client.delete(sandbox.id()));
        }
    }

    private void setup() {
        String script = String.join("\n",
                "rc=0",
                "git config --global --add safe.directory " + ShellWords.quote(workingDir) + " || rc=1",
                "git config --global user.name Magpie || rc=1",
                "git config --global user.email magpie@bot || rc=1",
                "chmod -R 777 " + ShellWords.quote(workingDir) + " || rc=1",
                "cd " + ShellWords.quote(workingDir) + " && git checkout -- . || rc=1",
                "gh auth setup-git || rc=1",
                "exit $rc");
        try {
            DaytonaToolbox.ExecuteResult result = toolbox.execute(script, workingDir, null, SETUP_TIMEOUT);
            if (result.exitCode() != 0) {
                core.transcript().note("workspace setup exited " + result.exitCode() + " (tolerated): "
                        + tail(result.result()));
            }
        } catch (DaytonaApiException e) {
            core.transcript().note("workspace setup " + (e.status() == 408 ? "timed out after "
                    + SETUP_TIMEOUT.toSeconds() + " s" : "failed: " + e.getMessage()) + " (tolerated)");
        }
    }

    private static String tail(String output) {
        String[] lines = output.strip().split("\n");
        return String.join(" | ", java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - 5), lines.length));
    }

    private static String resolveWorkingDir(DaytonaToolbox toolbox, String workingDir) {
        if (workingDir != null && workingDir.startsWith("/")) {
            return PathRules.resolve("/", workingDir);
        }
        String home = toolbox.workDir();
        return workingDir == null || workingDir.isBlank() ? home : PathRules.resolve(home, workingDir);
    }

    private String relative(String absolutePath) {
        return absolutePath.equals(workingDir) ? "." : absolutePath.substring(workingDir.length() + 1);
    }
}
