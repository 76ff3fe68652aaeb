package dev.magpie.sandbox.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** Readiness probes from this JVM: a TCP connection, an HTTP status. Each attempt is short; callers poll. */
public final class Probes {

    private static final int CONNECT_MS = 1000;
    /** One client for every probe: no connection is reused between probes, so a restart is always seen. */
    private static final OkHttpClient HTTP = new OkHttpClient.Builder()
            .connectTimeout(Duration.ofMillis(CONNECT_MS)).readTimeout(Duration.ofSeconds(5))
            .retryOnConnectionFailure(false).build();

    private Probes() {
    }

    /** Whether a TCP connection to the URI's host and port opens now. */
    public static boolean connects(URI endpoint) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), CONNECT_MS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The status of {@code GET uri}, or -1 when no answer came (refused, reset, timed out). */
    public static int status(URI uri) {
        Request request = new Request.Builder().url(uri.toString()).header("Connection", "close").build();
        try (Response response = HTTP.newCall(request).execute()) {
            return response.code();
        } catch (IOException e) {
            return -1;
        }
    }
}
