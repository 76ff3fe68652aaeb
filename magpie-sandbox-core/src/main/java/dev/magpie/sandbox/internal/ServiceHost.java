package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import java.net.URI;

/**
 * What a provider supplies for background processes ({@link BackgroundProcesses}); the rest is written once.
 * Every process of a background command carries {@link BackgroundProcesses#MARKER} in its environment.
 */
public interface ServiceHost {

    /** Runs the command to its end, as {@code Workspace.exec} does (recorded in the transcript). */
    ExecResult run(ExecRequest request);

    /** Sends SIGTERM ({@code force} false) or SIGKILL to every process carrying {@code marker} ({@code NAME=value}). */
    void signal(String marker, boolean force);

    /** Whether a command's stdin can be fed while it runs, from a stream handed to {@link #run}. */
    boolean liveInput();

    /** The workspace's {@code Workspace.endpoint}. */
    URI endpoint(int port);

    /** Whether the port accepts a connection now; by default a TCP connection to its endpoint. */
    default boolean accepts(int port) {
        return Probes.connects(endpoint(port));
    }
}
