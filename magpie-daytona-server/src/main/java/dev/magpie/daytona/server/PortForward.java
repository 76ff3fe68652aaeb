package dev.magpie.daytona.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * A port of this machine that forwards each connection to a sandbox's port, bytes both ways. When the sandbox's
 * port refuses, the caller gets {@code 502 Bad Gateway}, as from Daytona's proxy; once the sandbox is gone the
 * forward closes itself.
 */
final class PortForward {

    private static final byte[] BAD_GATEWAY = ("HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\n"
            + "Content-Length: 31\r\nConnection: close\r\n\r\nNothing listens on that port.\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket listener;
    private final String address;
    private final int port;
    private final BooleanSupplier alive;
    private final Runnable onClose;

    private PortForward(ServerSocket listener, String address, int port, BooleanSupplier alive, Runnable onClose) {
        this.listener = listener;
        this.address = address;
        this.port = port;
        this.alive = alive;
        this.onClose = onClose;
    }

    /**
     * Opens a forward on {@code host}, a free port, to {@code port} at {@code address}, for as long as the sandbox is
     * {@code alive}.
     */
    static PortForward open(String host, String address, int port, BooleanSupplier alive, Runnable onClose) {
        try {
            ServerSocket listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getByName(host), 0), 64);
            PortForward forward = new PortForward(listener, address, port, alive, onClose);
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

    void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // nothing more to release
        }
        onClose.run();
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            daemon("magpie-preview-" + port + "-connection", () -> serve(client));
        }
    }

    private void serve(Socket client) {
        if (!alive.getAsBoolean()) {
            closeQuietly(client);
            close();
            return;
        }
        Socket upstream = new Socket();
        try {
            upstream.connect(new InetSocketAddress(address, port), 5000);
        } catch (IOException e) {
            try (client; OutputStream out = client.getOutputStream()) {
                out.write(BAD_GATEWAY);
            } catch (IOException ignored) {
                // the caller went away
            }
            closeQuietly(upstream);
            return;
        }
        daemon("magpie-preview-" + port + "-up", () -> pump(client, upstream));
        pump(upstream, client);
    }

    /** Copies until either side ends, then closes both, so the other direction ends too. */
    private static void pump(Socket from, Socket to) {
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

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }
}
