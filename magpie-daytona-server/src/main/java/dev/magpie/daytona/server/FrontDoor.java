package dev.magpie.daytona.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * The server's public port. The JDK HTTP server cannot hand over a connection for a WebSocket, so connections
 * arrive here first: a WebSocket upgrade request is given to the {@link Upgrades}, and every other connection is
 * passed, byte for byte, to the HTTP server listening on a loopback port of its own. So a WebSocket must be the
 * first request of its connection (as the SDK's clients open them); an upgrade sent on a connection that already
 * carried a request reaches the HTTP server, which does not upgrade.
 */
final class FrontDoor implements Closeable {

    /** The longest request head read before a connection is refused. */
    private static final int MAX_HEAD = 64 * 1024;

    /** The request line and headers of a connection's first request. */
    record Head(String method, String target, Map<String, String> headers, byte[] raw) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String path() {
            int q = target.indexOf('?');
            return q < 0 ? target : target.substring(0, q);
        }

        boolean isWebSocket() {
            String upgrade = header("Upgrade");
            return upgrade != null && upgrade.equalsIgnoreCase("websocket");
        }
    }

    private final ServerSocket listener;
    private final InetSocketAddress backend;
    private final Upgrades upgrades;
    private final ExecutorService executor;
    private final int headTimeoutMillis;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    FrontDoor(InetSocketAddress address, InetSocketAddress backend, Upgrades upgrades, ExecutorService executor,
              Duration headTimeout) throws IOException {
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(address, 64);
        this.backend = backend;
        this.upgrades = upgrades;
        this.executor = executor;
        this.headTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, headTimeout.toMillis()));
        Thread acceptor = new Thread(this::acceptAll, "daytona-server-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    private void acceptAll() {
        while (!closed) {
            Socket client = null;
            try {
                client = listener.accept();
                open.add(client);
                // taken while close() ran: close() may have passed over it already
                if (closed) {
                    open.remove(client);
                    closeQuietly(client);
                    return;
                }
                Socket taken = client;
                executor.execute(() -> serve(taken));
            } catch (IOException | java.util.concurrent.RejectedExecutionException e) {
                if (client != null) {
                    open.remove(client);
                    closeQuietly(client);
                }
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serve(Socket client) {
        try {
            client.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(client.getInputStream());
            // a client that connects and sends nothing, or half a head, would hold this thread forever
            client.setSoTimeout(headTimeoutMillis);
            Head head = readHead(in);
            if (head == null) {
                return;
            }
            client.setSoTimeout(0);
            if (head.isWebSocket()) {
                upgrades.open(head, client, in);
            } else {
                pass(head, client, in);
            }
        } catch (HeadTooLarge e) {
            refuseTooLarge(client);
        } catch (IOException | RuntimeException e) {
            // the client went away, or the backend did: the connection ends
        } finally {
            open.remove(client);
            closeQuietly(client);
        }
    }

    /** Passes the connection to the HTTP server: the head already read, then everything else both ways. */
    private void pass(Head head, Socket client, InputStream in) throws IOException {
        try (Socket server = new Socket()) {
            server.setTcpNoDelay(true);
            server.connect(backend);
            open.add(server);
            try {
                OutputStream toServer = server.getOutputStream();
                toServer.write(head.raw());
                toServer.flush();
                executor.execute(() -> {
                    try {
                        in.transferTo(toServer);
                        server.shutdownOutput();
                    } catch (IOException e) {
                        // either side closed: the reply direction ends the connection
                    }
                });
                copy(server.getInputStream(), client.getOutputStream());
            } finally {
                open.remove(server);
            }
        }
    }

    /** Copies with a flush per read, so that a streamed reply reaches the client as the server writes it. */
    private static void copy(InputStream from, OutputStream to) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = from.read(buffer)) >= 0) {
            to.write(buffer, 0, n);
            to.flush();
        }
    }

    /** Reads up to the blank line that ends the head; null when the client sent nothing. */
    private static Head readHead(InputStream in) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (raw.size() == 0) {
                    return null;
                }
                throw new SocketException("the connection ended inside a request head");
            }
            raw.write(b);
            if (raw.size() > MAX_HEAD) {
                throw new HeadTooLarge();
            }
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
        }
        String[] lines = raw.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] requestLine = lines[0].split(" ");
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        return new Head(requestLine[0], requestLine.length > 1 ? requestLine[1] : "/", headers, raw.toByteArray());
    }

    /** A request head longer than {@link #MAX_HEAD}. */
    private static final class HeadTooLarge extends IOException {
    }

    /**
     * Answers 431, then reads what the client still sends (up to 1 MiB, within the head timeout) before the socket is
     * closed: closing it with unread bytes would reset the connection, and the client could lose the reply.
     */
    private static void refuseTooLarge(Socket client) {
        try {
            client.getOutputStream().write(("HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();
            InputStream rest = client.getInputStream();
            byte[] buffer = new byte[8192];
            for (long left = 16L * MAX_HEAD; left > 0; ) {
                int n = rest.read(buffer);
                if (n < 0) {
                    break;
                }
                left -= n;
            }
        } catch (IOException e) {
            // the client left or went silent: the connection ends
        }
    }

    /** Stops accepting and ends every connection, WebSockets included. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        open.forEach(FrontDoor::closeQuietly);
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
