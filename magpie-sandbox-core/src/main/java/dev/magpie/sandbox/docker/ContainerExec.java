package dev.magpie.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import dev.magpie.sandbox.CommandStartException;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.internal.ExitCodes;
import dev.magpie.sandbox.OutputListener;
import dev.magpie.sandbox.PathOutsideWorkspaceException;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.OutputCollector;
import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands in a container through {@link CommandChannel}s: a pool of long-lived channels per user, one
 * command at a time on each, so that commands from several threads run at once on channels of their own. A
 * channel is reused only while the commands it ran left nothing behind; a channel that ended or was used up is
 * replaced by a new one for the next command.
 *
 * <p>Each command carries a unique {@value #TOKEN_VARIABLE} in its environment, which its processes inherit. On
 * timeout a separate exec kills the processes of the channel's process group (which holds the command's whole
 * tree, but not the channel itself) and every process carrying the token with the groups they lead (those that
 * left with setsid). So the tree stops inside the container, not only the client's wait, and the channel runs the
 * next command.
 */
final class ContainerExec {

    static final String TOKEN_VARIABLE = "MAGPIE_EXEC_ID";

    /** How long the channel may take to report after the tree was killed, before it counts as wedged. */
    private static final Duration DRAIN_AFTER_KILL = Duration.ofSeconds(2);
    /** How long a new channel may take to greet: an exec on a loaded engine takes seconds at worst. */
    private static final Duration GREETING_TIMEOUT = Duration.ofSeconds(60);

    private final DockerClient client;
    private final String containerId;
    private final Map<String, Deque<CommandChannel>> idle = new ConcurrentHashMap<>();
    private final Set<CommandChannel> open = ConcurrentHashMap.newKeySet();

    ContainerExec(DockerClient client, String containerId) {
        this.client = client;
        this.containerId = containerId;
    }

    /** Opens the first channel now, so that the first command does not wait for it. */
    void warmUp() {
        release(acquire(""), "");
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

    /** Closes the idle channels of {@code user}, such as root's once the container is set up. */
    void closeChannelsOf(String user) {
        Deque<CommandChannel> channels = idle.remove(user);
        if (channels != null) {
            channels.forEach(this::discard);
        }
    }

    /** Closes every channel; commands in flight fail. */
    void close() {
        open.forEach(CommandChannel::close);
        open.clear();
        idle.clear();
    }

    private ExecResult run(ExecRequest request, String directory, String root, String user) {
        String token = UUID.randomUUID().toString();
        String marker = "=magpie-" + UUID.randomUUID().toString().replace("-", "") + "=";
        try (ChannelProtocol.Request sent = ChannelProtocol.request(marker, directory, root, request, token)) {
            return run(request, sent, directory, root, marker, token, user);
        }
    }

    private ExecResult run(ExecRequest request, ChannelProtocol.Request sent, String directory, String root,
                           String marker, String token, String user) {
        long start = System.nanoTime();
        OutputCollector out = new OutputCollector(request.outputLimit(), OutputListener.Channel.STDOUT, request.listener());
        OutputCollector err = new OutputCollector(request.outputLimit(), OutputListener.Channel.STDERR, request.listener());
        CommandChannel channel = acquire(user);
        CommandChannel.Call call = channel.start(marker, sent.open(), out, err);
        boolean timedOut = !await(channel, call, request.timeout().orElse(null), token, user);
        if (!timedOut && call.neverStarted()) {
            // The channel ended between two commands (the container restarted): this one never ran, so it may.
            discard(channel);
            channel = acquire(user);
            call = channel.start(marker, sent.open(), out, err);
            timedOut = !await(channel, call, request.timeout().orElse(null), token, user);
        }
        if (timedOut) {
            try {
                killTree(channel, token, user, false);
            } catch (RuntimeException e) {
                discard(channel);
                throw e;
            }
            if (!await(channel, call, DRAIN_AFTER_KILL, token, user)) {
                discard(channel);
                killTree(channel, token, user, true);
                throw new WorkspaceException("The command channel in container " + shortId() + " did not report the"
                        + " end of " + request.command() + " within " + DRAIN_AFTER_KILL.toSeconds() + " s after the"
                        + " command timed out and its processes were killed; the channel was stopped and the"
                        + " command's result is unknown. The next command starts a new channel.");
            }
        }
        if (call.neverStarted()) {
            discard(channel);
            throw new WorkspaceException("Could not start " + request.command() + " in container " + shortId()
                    + ": the command channel ended before it began the command (" + call.failure() + "), on a"
                    + " second, new channel too. Check that the container runs.");
        }
        if (call.failure() != null) {
            discard(channel);
            throw new WorkspaceException("The command channel in container " + shortId() + " ended while "
                    + request.command() + " ran, before it reported its exit: " + call.failure() + ". Whether the"
                    + " command finished is unknown; run it again (the next command starts a new channel).");
        }
        out.close();
        err.close();
        if (call.clean()) {
            release(channel, user);
        } else {
            discard(channel);
        }
        int exitCode = timedOut ? ExecResult.KILLED : ExitCodes.of(call.status());
        Duration duration = Duration.ofNanos(System.nanoTime() - start);
        String stdout = out.text();
        String stderr = err.text();
        checkStarted(request, directory, root, exitCode, stderr);
        return new ExecResult(request.command(), exitCode, stdout, stderr, duration, timedOut,
                out.truncated() || err.truncated());
    }

    private CommandChannel acquire(String user) {
        Deque<CommandChannel> channels = idle.computeIfAbsent(user, u -> new ConcurrentLinkedDeque<>());
        for (CommandChannel channel = channels.pollFirst(); channel != null; channel = channels.pollFirst()) {
            if (!channel.ended()) {
                return channel;
            }
            discard(channel);
        }
        CommandChannel channel = CommandChannel.open(client, containerId, user, GREETING_TIMEOUT);
        open.add(channel);
        return channel;
    }

    private void release(CommandChannel channel, String user) {
        idle.computeIfAbsent(user, u -> new ConcurrentLinkedDeque<>()).addFirst(channel);
    }

    private void discard(CommandChannel channel) {
        open.remove(channel);
        channel.close();
    }

    /** Turns the channel's refusals to start the command into exceptions. */
    private void checkStarted(ExecRequest request, String directory, String root, int exitCode, String stderr) {
        if (exitCode == 127 && stderr.startsWith(ChannelProtocol.START_FAILURE)) {
            throw new CommandStartException(request.command().get(0), "not found or not executable in container "
                    + shortId(), null);
        }
        if (exitCode != 126) {
            return;
        }
        if (stderr.startsWith(ChannelProtocol.OUTSIDE)) {
            throw new PathOutsideWorkspaceException(directory, root, "it resolves through a symlink to "
                    + stderr.substring(ChannelProtocol.OUTSIDE.length()).strip());
        }
        if (stderr.startsWith(ChannelProtocol.NO_DIRECTORY)) {
            throw new WorkspaceException("Cannot run " + request.command() + " in '" + directory
                    + "': no such directory in container " + shortId() + ". Create it first or fix the subdirectory.");
        }
    }

    /** Waits for the command; an interrupted caller gives up on it, and it must not keep running unseen. */
    private boolean await(CommandChannel channel, CommandChannel.Call call, Duration limit, String token,
                          String user) {
        try {
            return call.await(limit);
        } catch (InterruptedException e) {
            discard(channel);
            try {
                killTree(channel, token, user, true);
            } finally {
                Thread.currentThread().interrupt();
            }
            throw new WorkspaceException("Interrupted while waiting for a command in container " + shortId()
                    + "; its processes were killed.", e);
        }
    }

    /**
     * Kills the command's processes from a separate exec, as the channel's user; with {@code channelToo} the
     * channel as well, for one that will not be used again. Waits up to 10 s for it.
     */
    private void killTree(CommandChannel channel, String token, String user, boolean channelToo) {
        ResultCallback.Adapter<Frame> done = new ResultCallback.Adapter<>();
        try {
            String killerId = client.execCreateCmd(containerId).withCmd("sh", "-c", ChannelProtocol.KILLER,
                            "magpie-kill", Integer.toString(channel.pid()), token, channelToo ? "1" : "0")
                    .withUser(user.isEmpty() ? null : user).withAttachStdout(true).withAttachStderr(true).exec()
                    .getId();
            client.execStartCmd(killerId).exec(done);
            if (!done.awaitCompletion(10, TimeUnit.SECONDS)) {
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
        } finally {
            try {
                done.close();
            } catch (java.io.IOException e) {
                // Closing only stops our reading of an exec that prints nothing.
            }
        }
    }

    private String shortId() {
        return containerId.substring(0, Math.min(12, containerId.length()));
    }
}
