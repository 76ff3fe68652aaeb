package dev.magpie.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.magpie.sandbox.CommandStartException;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.internal.ExitCodes;
import dev.magpie.sandbox.OutputListener;
import dev.magpie.sandbox.PathOutsideWorkspaceException;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.OutputCollector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command in a container through the engine's exec API, with both streams demultiplexed and bounded.
 *
 * <p>Every command is started by a small {@code sh} wrapper that enters the directory, checks that the program
 * exists (so that a missing one is an exception, as for local workspaces), runs it and waits for it. The engine
 * makes each exec's first process a session and process group leader, and the wrapper carries a unique
 * {@value #TOKEN_VARIABLE} in its environment, which the command's processes inherit. On timeout a second exec
 * kills every process that carries the token and the process groups they lead: the wrapper's group holds the
 * whole tree, and processes that left it (setsid) still carry the token. So the tree stops inside the container,
 * not only the client's wait.
 */
final class ContainerExec {

    static final String TOKEN_VARIABLE = "MAGPIE_EXEC_ID";
    private static final String START_FAILURE = "magpie-exec: cannot start: ";
    private static final String NO_DIRECTORY = "magpie-exec: no directory: ";
    private static final String OUTSIDE = "magpie-exec: outside: ";
    private static final String RUNTIME_FAILURE = "OCI runtime exec failed";

    private static final String WRAPPER = ""
            + "if [ -n \"$2\" ]; then exec 0<\"$2\"; rm -f -- \"$2\"; fi\n"
            // With a root in $3, a directory reached through a symlink must still be inside it; so must a path that
            // is no directory, lest the refusal tell what lies outside.
            + "inside() { case $1 in \"$root\"|\"$root\"/*) ;;\n"
            + "  *) printf '" + OUTSIDE + "%s\\n' \"$1\" >&2; exit 126 ;; esac; }\n"
            + "if [ -n \"$3\" ]; then root=$(cd -- \"$3\" && pwd -P); fi\n"
            + "if ! cd -- \"$1\" 2>/dev/null; then\n"
            + "  if [ -n \"$3\" ] && real=$(realpath -m -- \"$1\" 2>/dev/null); then inside \"$real\"; fi\n"
            + "  printf '" + NO_DIRECTORY + "%s\\n' \"$1\" >&2; exit 126\n"
            + "fi\n"
            + "if [ -n \"$3\" ]; then inside \"$(pwd -P)\"; fi\n"
            + "shift 3\n"
            // The program must be a file: a shell builtin of the same name is never what runs.
            + "case $1 in */*) [ -f \"$1\" ] && [ -x \"$1\" ] ;;\n"
            + "  *) found=; IFS=:; for d in ${PATH:-/usr/bin:/bin}; do\n"
            + "       if [ -f \"$d/$1\" ] && [ -x \"$d/$1\" ]; then found=1; break; fi; done; unset IFS; [ -n \"$found\" ] ;;\n"
            + "esac || { printf '" + START_FAILURE + "%s\\n' \"$1\" >&2; exit 127; }\n"
            // Stays as the parent (not exec) so that it leads the process group even when the command drops the
            // token from its environment; fd 3 carries stdin past the /dev/null given to background commands.
            + "exec 3<&0; exec \"$@\" <&3 3<&- & exec 3<&-; wait $!\n";

    // Several rounds catch children forked while an earlier round ran.
    private static final String KILLER = ""
            + "for round in 1 2 3; do for p in /proc/[0-9]*; do\n"
            + "  case $(tr '\\0' '\\n' < \"$p/environ\" 2>/dev/null) in *\"" + TOKEN_VARIABLE + "=$1\"*)\n"
            + "    kill -9 -\"${p#/proc/}\" 2>/dev/null; kill -9 \"${p#/proc/}\" 2>/dev/null ;; esac\n"
            + "done; done\n";

    /** How long the stream may stay open after the tree was killed, before the client stops reading. */
    private static final Duration DRAIN_AFTER_KILL = Duration.ofSeconds(2);

    private final DockerClient client;
    private final String containerId;

    ContainerExec(DockerClient client, String containerId) {
        this.client = client;
        this.containerId = containerId;
    }

    /** Runs the command in {@code directory}, an absolute path already lexically inside the working directory. */
    ExecResult run(ExecRequest request, String directory) {
        return run(request, directory, "");
    }

    /** As {@link #run(ExecRequest, String)}, refusing a directory whose real path is outside {@code root}. */
    ExecResult run(ExecRequest request, String directory, String root) {
        return run(request, directory, root, "");
    }

    /** Runs a setup command as root in {@code directory}, whatever user the image runs as. */
    ExecResult runAsRoot(ExecRequest request, String directory) {
        return run(request, directory, "", "root");
    }

    private ExecResult run(ExecRequest request, String directory, String root, String user) {
        String token = UUID.randomUUID().toString();
        long start = System.nanoTime();
        String stdinFile = request.hasStdin() ? upload(token, request) : "";
        List<String> command = new ArrayList<>(List.of("sh", "-c", WRAPPER, "magpie-exec", directory, stdinFile,
                root));
        command.addAll(request.command());
        List<String> env = new ArrayList<>();
        request.env().forEach((k, v) -> env.add(k + "=" + v));
        env.add(TOKEN_VARIABLE + "=" + token);

        String execId = client.execCreateCmd(containerId).withCmd(command.toArray(String[]::new)).withEnv(env)
                .withUser(user.isEmpty() ? null : user).withAttachStdout(true).withAttachStderr(true).exec().getId();
        OutputCollector out = new OutputCollector(request.outputLimit(), OutputListener.Channel.STDOUT, request.listener());
        OutputCollector err = new OutputCollector(request.outputLimit(), OutputListener.Channel.STDERR, request.listener());
        Streams streams = new Streams(out, err);
        client.execStartCmd(execId).exec(streams);

        boolean timedOut = !await(streams, request.timeout().orElse(null), token);
        if (timedOut) {
            killTree(token);
            if (!await(streams, DRAIN_AFTER_KILL, token)) {
                closeQuietly(streams);
            }
        }
        out.close();
        err.close();
        int exitCode = timedOut ? ExecResult.KILLED : exitCode(execId);
        Duration duration = Duration.ofNanos(System.nanoTime() - start);
        String stdout = out.text();
        String stderr = err.text();
        checkStarted(request, directory, root, exitCode, stdout, stderr);
        return new ExecResult(request.command(), exitCode, stdout, stderr, duration, timedOut,
                out.truncated() || err.truncated());
    }

    /** Turns the wrapper's and the engine's refusals to start the command into exceptions. */
    private void checkStarted(ExecRequest request, String directory, String root, int exitCode, String stdout,
                              String stderr) {
        if (exitCode == 127 && stderr.startsWith(START_FAILURE)) {
            throw new CommandStartException(request.command().get(0), "not found or not executable in container "
                    + shortId(), null);
        }
        if (exitCode != 126) {
            return;
        }
        if (stdout.startsWith(RUNTIME_FAILURE) || stderr.startsWith(RUNTIME_FAILURE)) {
            throw new WorkspaceException("The engine could not start " + request.command() + " in container "
                    + shortId() + ": " + (stdout + stderr).strip());
        }
        if (stderr.startsWith(OUTSIDE)) {
            throw new PathOutsideWorkspaceException(directory, root, "it resolves through a symlink to "
                    + stderr.substring(OUTSIDE.length()).strip());
        }
        if (stderr.startsWith(NO_DIRECTORY)) {
            throw new WorkspaceException("Cannot run " + request.command() + " in '" + directory
                    + "': no such directory in container " + shortId() + ". Create it first or fix the subdirectory.");
        }
    }

    /**
     * Puts stdin into a file that the wrapper opens as the command's stdin and unlinks at once. The engine's
     * attached stdin cannot be used: the client never half-closes it, so a reader would wait for end of input
     * forever.
     */
    private String upload(String token, ExecRequest request) {
        String name = ".magpie-stdin-" + token;
        // A tar entry states its size first: a stream of unknown length is spooled to a file, never to memory.
        Path spool = null;
        try {
            InputStream content;
            long size;
            if (request.stdinLength().isPresent()) {
                size = request.stdinLength().getAsLong();
                content = request.openStdin();
            } else {
                spool = Files.createTempFile("magpie-stdin-", "");
                try (InputStream in = request.openStdin()) {
                    Files.copy(in, spool, StandardCopyOption.REPLACE_EXISTING);
                }
                size = Files.size(spool);
                content = Files.newInputStream(spool);
            }
            // Readable by whatever user the image runs as; it is unlinked as soon as the command has it open.
            try (InputStream tar = Archives.singleFile(name, content, size, 0644)) {
                client.copyArchiveToContainerCmd(containerId).withRemotePath("/tmp").withTarInputStream(tar).exec();
            }
        } catch (IOException e) {
            throw new WorkspaceException("Could not copy the stdin of " + request.command().get(0) + " into container "
                    + shortId() + ": " + e + ". Check the space left in the temporary directory.", e);
        } finally {
            if (spool != null) {
                try {
                    Files.deleteIfExists(spool);
                } catch (IOException e) {
                    // A leftover in the temporary directory; nothing else depends on it.
                }
            }
        }
        return "/tmp/" + name;
    }

    private boolean await(Streams streams, Duration limit, String token) {
        try {
            if (limit == null) {
                streams.awaitCompletion();
                return true;
            }
            return streams.awaitCompletion(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            // The caller gives up on the command: it must not keep running in the container unseen.
            closeQuietly(streams);
            try {
                killTree(token);
            } finally {
                Thread.currentThread().interrupt();
            }
            throw new WorkspaceException("Interrupted while waiting for a command in container " + shortId()
                    + "; its processes were killed.", e);
        }
    }

    /** Kills every process carrying the token, from a second exec; waits up to 10 s for it. */
    private void killTree(String token) {
        try {
            String killerId = client.execCreateCmd(containerId).withCmd("sh", "-c", KILLER, "magpie-kill", token)
                    .withAttachStdout(true).withAttachStderr(true).exec().getId();
            ResultCallback.Adapter<Frame> done = new ResultCallback.Adapter<>();
            client.execStartCmd(killerId).exec(done);
            if (!done.awaitCompletion(10, TimeUnit.SECONDS)) {
                closeQuietly(done);
                throw new WorkspaceException("Killing the processes of a timed-out command in container " + shortId()
                        + " did not finish within 10 s; they may still run.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkspaceException("Interrupted while killing a timed-out command in container " + shortId()
                    + "; its processes may still run.", e);
        } catch (com.github.dockerjava.api.exception.DockerException e) {
            throw new WorkspaceException("Could not kill the processes of a command in container " + shortId() + ": "
                    + e.getMessage() + ". They may still run.", e);
        }
    }

    private int exitCode(String execId) {
        // The stream can close a moment before the engine has recorded the exit.
        for (int attempt = 0; attempt < 200; attempt++) {
            InspectExecResponse state = client.inspectExecCmd(execId).exec();
            if (!Boolean.TRUE.equals(state.isRunning()) && state.getExitCodeLong() != null) {
                long code = state.getExitCodeLong();
                return ExitCodes.of(code);
            }
            sleep(5);
        }
        throw new WorkspaceException("The engine did not report the exit code of exec " + execId
                + " in container " + shortId() + " within a second after its output ended.");
    }

    private String shortId() {
        return containerId.substring(0, Math.min(12, containerId.length()));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkspaceException("Interrupted while waiting for an exit code", e);
        }
    }

    private static void closeQuietly(ResultCallback.Adapter<Frame> callback) {
        try {
            callback.close();
        } catch (java.io.IOException | RuntimeException e) {
            // Closing only stops our reading; the result is already decided.
        }
    }

    /** Routes the engine's multiplexed frames to the two sinks. */
    private static final class Streams extends ResultCallback.Adapter<Frame> {
        private final OutputCollector out;
        private final OutputCollector err;

        Streams(OutputCollector out, OutputCollector err) {
            this.out = out;
            this.err = err;
        }

        @Override
        public void onNext(Frame frame) {
            if (frame.getStreamType() == StreamType.STDERR) {
                err.append(frame.getPayload(), 0, frame.getPayload().length);
            } else if (frame.getStreamType() == StreamType.STDOUT || frame.getStreamType() == StreamType.RAW) {
                out.append(frame.getPayload(), 0, frame.getPayload().length);
            }
        }
    }
}
