package dev.magpie.daytona.server;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A port of this machine that forwards each connection to a sandbox's port, bytes both ways. The sandbox's address
 * is asked for at the first connection while the sandbox runs, and kept: the forward is closed when the sandbox
 * stops or is deleted, so that a restarted sandbox (whose container may have another address) gets a new one. When
 * the sandbox is not running or its port refuses, the caller gets {@code 502 Bad Gateway}, as from Daytona's proxy.
 */
final class PortForward {

    private final ServerSocket listener;
    /** The sandbox's address, or null while it is not running. */
    private final Supplier<String> address;
    private final int port;
    /** Every connection still open, both sides: closing the forward ends them, and their threads. */
    private final Set<Closeable> open = ConcurrentHashMap.newKeySet();
    private volatile String resolved;
    /** Closes forwards when they expire; one daemon thread for all of them. */
    private static final ScheduledThreadPoolExecutor EXPIRY = expiry();

    private volatile ScheduledFuture<?> expiry;

    /** A forward closed before it expires leaves the queue at once, with the sandbox its task holds. */
    private static ScheduledThreadPoolExecutor expiry() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "magpie-preview-expiry");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    private PortForward(ServerSocket listener, Supplier<String> address, int port) {
        this.listener = listener;
        this.address = address;
        this.port = port;
    }

    /**
     * Opens a forward on {@code host}, a free port, to {@code port} at the sandbox's {@code address}. At
     * {@code expiresAt} (a {@link System#nanoTime()}, {@link Long#MAX_VALUE} for never) it closes with its
     * connections, and then {@code onExpiry} runs.
     */
    static PortForward open(String host, Supplier<String> address, int port, long expiresAt, Runnable onExpiry) {
        try {
            ServerSocket listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getByName(host), 0), 64);
            PortForward forward = new PortForward(listener, address, port);
            forward.open.add(listener);
            if (expiresAt != Long.MAX_VALUE) {
                forward.expiry = EXPIRY.schedule(() -> {
                    forward.close();
                    onExpiry.run();
                }, Math.max(0, expiresAt - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            daemon("magpie-preview-" + port, forward::accept);
            return forward;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        String host = listener.getInetAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + listener.getLocalPort();
    }

    /** Stops listening and ends every connection. */
    void close() {
        ScheduledFuture<?> pending = expiry;
        if (pending != null) {
            pending.cancel(false);
        }
        closeQuietly(listener); // first: once a connection sees its end, no new one is taken
        open.forEach(this::closeQuietly);
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            open.add(client);
            if (listener.isClosed()) { // closed meanwhile: this connection was not among those it ended
                closeQuietly(client);
                return;
            }
            daemon("magpie-preview-" + port + "-connection", () -> serve(client));
        }
    }

    private void serve(Socket client) {
        String target = target();
        if (target == null) {
            refuse(client, "The sandbox is not running.");
            return;
        }
        Socket upstream = new Socket();
        open.add(upstream);
        try {
            upstream.connect(new InetSocketAddress(target, port), 5000);
        } catch (IOException e) {
            closeQuietly(upstream);
            refuse(client, "Nothing listens on that port.");
            return;
        }
        daemon("magpie-preview-" + port + "-up", () -> pump(client, upstream));
        pump(upstream, client);
    }

    private String target() {
        String known = resolved;
        if (known == null) {
            try {
                known = address.get();
            } catch (UncheckedIOException e) {
                return null; // as good as not running: the next connection asks again
            }
            resolved = known;
        }
        return known;
    }

    private void refuse(Socket client, String why) {
        String body = why + "\r\n";
        String reply = "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body;
        try (OutputStream out = client.getOutputStream()) {
            out.write(reply.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException ignored) {
            // the caller went away
        } finally {
            closeQuietly(client);
        }
    }

    /** Copies until either side ends, then closes both, so the other direction ends too. */
    private void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            byte[] buffer = new byte[16 * 1024];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed or reset: the connection is over
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void closeQuietly(Closeable socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }
}
