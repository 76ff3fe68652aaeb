package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.WorkspaceException;
import java.net.URI;

/**
 * What a provider supplies for background processes ({@link BackgroundProcesses}); the rest is written once.
 * Every process of a background command carries {@link BackgroundProcesses#MARKER} in its environment, and the
 * command runs as {@link #marked} makes it.
 */
public interface ServiceHost {

    /**
     * Runs {@code actual} to its end as {@code Workspace.exec} does, recorded in the transcript, and its result
     * returned, as {@code shown}: the user's command, which {@code actual} may wrap.
     */
    ExecResult run(ExecRequest shown, ExecRequest actual);

    /**
     * Runs a helper command of the library's own in the workspace's machine, such as a signal or a write to a
     * command's input, without recording it: it is not the user's.
     */
    ExecResult control(ExecRequest request);

    /**
     * Sends SIGTERM ({@code force} false) or SIGKILL to every process carrying {@code marker} ({@code NAME=value});
     * by default from a helper command in the machine, which finds them by their environments or by the arguments
     * of the shell {@link #marked} runs them under.
     *
     * @throws WorkspaceException when the helper command failed; the processes may still run
     */
    default void signal(String marker, boolean force) {
        checkSignalled(control(ShellSignal.request(marker, force)));
    }

    /**
     * Checks the result of a {@link ShellSignal#request} helper.
     *
     * @throws WorkspaceException when it failed; the processes may still run
     */
    static void checkSignalled(ExecResult result) {
        if (!result.succeeded()) {
            throw new WorkspaceException("Could not signal a background command (exit code " + result.exitCode()
                    + "): " + result.stderrTail(5) + ". It may still run; destroy the workspace to end it.");
        }
    }

    /**
     * The request that runs {@code actual} so that {@link #signal} finds its processes; by default under a shell
     * whose arguments carry {@code marker}, for the helper command to find where it cannot read environments.
     */
    default ExecRequest marked(ExecRequest actual, String marker) {
        return ShellSignal.marked(actual, marker);
    }

    /**
     * Whether a command's stdin can be a stream fed while it runs; without, a background command reads a named pipe
     * that helper commands write to ({@link FifoInput}).
     */
    boolean streamsInput();

    /** The workspace's {@code Workspace.endpoint}. */
    URI endpoint(int port);

    /** Whether the port accepts a connection now; by default a TCP connection to its endpoint. */
    default boolean accepts(int port) {
        return Probes.connects(endpoint(port));
    }
}
