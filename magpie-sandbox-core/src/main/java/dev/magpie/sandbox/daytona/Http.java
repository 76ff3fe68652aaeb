package dev.magpie.sandbox.daytona;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.Redactor;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Sends calls to Daytona with the headers every call needs, and applies the retry rules: 429 waits the
 * {@code Retry-After-<bucket>} it names (bounded); 5xx and broken connections are retried with exponential backoff
 * only for calls safe to repeat; anything else becomes a typed {@link DaytonaApiException}. Every body is closed.
 */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    static final MediaType JSON_TYPE = MediaType.get("application/json");
    /** Sent as X-Daytona-SDK-Version: at least 0.167.0, so session logs come as JSON. */
    static final String SDK_VERSION = "0.190.0";
    static final String SOURCE = "magpie-sandboxes";
    /** How much of an error body is read. */
    private static final int MAX_ERROR_BODY = 64 * 1024;

    /**
     * One connection pool and dispatcher for the whole library. OkHttp's own silent retry is off: a POST whose
     * connection broke must not be sent again behind our back.
     */
    private static final OkHttpClient SHARED = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();

    /** A reply with a success status, body already read. */
    record Reply(int status, Headers headers, byte[] body) {
        JsonNode json() {
            try {
                return body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            } catch (IOException e) {
                throw new WorkspaceException("Daytona sent a reply that is not JSON: "
                        + new String(body, 0, Math.min(body.length, 200), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    private final DaytonaConfig config;
    private final OkHttpClient client;
    /** For calls whose reply waits on a command with no timeout: no read timeout. */
    private final OkHttpClient waiting;

    Http(DaytonaConfig config) {
        this.config = config;
        this.client = SHARED.newBuilder()
                .readTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .build();
        this.waiting = client.newBuilder().readTimeout(0, TimeUnit.MILLISECONDS)
                .dispatcher(InterruptibleCall.DISPATCHER).build();
    }

    DaytonaConfig config() {
        return config;
    }

    /** {@code base} with path segments appended, each encoded. */
    static HttpUrl url(HttpUrl base, String... segments) {
        HttpUrl.Builder b = base.newBuilder();
        for (String s : segments) {
            b.addPathSegment(s);
        }
        return b.build();
    }

    static Request get(HttpUrl url) {
        return new Request.Builder().url(url).get().build();
    }

    static Request post(HttpUrl url, RequestBody body) {
        return new Request.Builder().url(url).post(body).build();
    }

    static Request delete(HttpUrl url) {
        return new Request.Builder().url(url).delete().build();
    }

    /** The call's answer, or empty when Daytona answers 404: the one place where "not found" means "nothing". */
    static <T> java.util.Optional<T> unlessNotFound(java.util.function.Supplier<T> call) {
        try {
            return java.util.Optional.ofNullable(call.get());
        } catch (DaytonaApiException e) {
            if (e.status() == 404) {
                return java.util.Optional.empty();
            }
            throw e;
        }
    }

    static RequestBody json(Object value) {
        try {
            return RequestBody.create(JSON.writeValueAsBytes(value), JSON_TYPE);
        } catch (IOException e) {
            throw new WorkspaceException("Could not write a request body as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Sends the request with the retry rules.
     *
     * @param idempotent whether a 5xx or a broken connection may be retried
     * @throws LostReply when the connection broke before a reply on a call not safe to repeat
     */
    Reply send(Request request, boolean idempotent) {
        return send(request, idempotent, (status, headers, body) -> new Reply(status, headers, body.readAllBytes()));
    }

    /**
     * Sends the request with the retry rules and hands a successful reply's body to the reader as it arrives, so
     * a reply of any size passes through a bounded buffer. An idempotent call whose body breaks off is sent again
     * and its body read again from the start: the reader must tolerate that.
     *
     * @throws LostReply when the connection broke before a reply on a call not safe to repeat
     */
    <T> T send(Request request, boolean idempotent, BodyReader<T> reader) {
        return send(client, request, idempotent, reader);
    }

    /**
     * As {@link #send(Request, boolean, BodyReader)}, for a call whose reply comes only when a command ends: no
     * read timeout applies, an interrupt of the waiting thread cancels it, and the whole call is abandoned ({@link LostReply} when not idempotent) once
     * {@code limit} has passed, when there is one.
     */
    <T> T sendAndWait(Request request, boolean idempotent, BodyReader<T> reader, Duration limit) {
        OkHttpClient bounded = limit == null ? waiting
                : waiting.newBuilder().callTimeout(Math.max(1, limit.toMillis()), TimeUnit.MILLISECONDS).build();
        return send(bounded, request, idempotent, reader);
    }

    private <T> T send(OkHttpClient client, Request request, boolean idempotent, BodyReader<T> reader) {
        Request signed = sign(request);
        String what = request.method() + " " + request.url().encodedPath();
        int attempt = 0;
        while (true) {
            okhttp3.Call call = client.newCall(signed);
            try (Response response = client == this.client ? call.execute() : InterruptibleCall.execute(call)) {
                ResponseBody body = response.body();
                int status = response.code();
                if (status < 300) {
                    try (InputStream in = body.byteStream()) {
                        return reader.read(status, response.headers(), in);
                    }
                }
                String text = redact(errorText(body));
                if (status == 429) {
                    RetryAfter wait = RetryAfter.of(response.headers());
                    if (attempt < config.maxRetries() && wait.delay().compareTo(config.maxRetryAfter()) <= 0) {
                        sleep(wait.delay().isZero() ? backoff(attempt) : wait.delay());
                        attempt++;
                        continue;
                    }
                    throw new DaytonaRateLimitException(text, wait.bucket(), wait.delay(), "Daytona rate-limited "
                            + what + " (HTTP 429, bucket " + wait.bucket() + ", retry after " + wait.delay().toSeconds()
                            + " s) after " + attempt + " retries. Slow down, run fewer sandboxes at once, or ask "
                            + "Daytona for a higher limit.");
                }
                if (status >= 500 && idempotent && attempt < config.maxRetries()) {
                    sleep(backoff(attempt));
                    attempt++;
                    continue;
                }
                throw failure(status, text, what, attempt);
            } catch (IOException e) {
                if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
                    throw new WorkspaceException("Interrupted during " + what, e);
                }
                // a connection never made means nothing was sent: safe to retry even a create
                boolean notSent = e instanceof java.net.ConnectException || e instanceof java.net.UnknownHostException;
                if (!idempotent && !notSent) {
                    throw new LostReply(what, e);
                }
                if (attempt >= config.maxRetries()) {
                    throw new WorkspaceException("Could not reach Daytona for " + what + " at " + config.apiUrl()
                            + " after " + (attempt + 1) + " attempts: " + e + ". Check the API URL and the network.", e);
                }
                sleep(backoff(attempt));
                attempt++;
            }
        }
    }

    /** Reads a successful reply's body. */
    interface BodyReader<T> {
        T read(int status, Headers headers, InputStream body) throws IOException;
    }

    /** Whether a bearer token is a JWT (three dot-separated parts) rather than an API key. */
    static boolean isJwt(String token) {
        return token.split("\\.", -1).length == 3;
    }

    /** The start of an error body: enough for its message, however long the body. */
    private static String errorText(ResponseBody body) throws IOException {
        try (InputStream in = body.byteStream()) {
            return new String(in.readNBytes(MAX_ERROR_BODY), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private Request sign(Request request) {
        Request.Builder b = request.newBuilder()
                .header("Authorization", "Bearer " + config.apiKey())
                .header("X-Daytona-Source", SOURCE)
                .header("X-Daytona-SDK-Version", SDK_VERSION);
        if (isJwt(config.apiKey())) {
            // as the official SDKs: an API key already belongs to one organization, only a JWT names it
            config.organizationId().ifPresent(org -> b.header("X-Daytona-Organization-ID", org));
        }
        return b.build();
    }

    private DaytonaApiException failure(int status, String body, String what, int retries) {
        String message = messageOf(body);
        String detail = message.isEmpty() ? "" : ": " + message;
        if (status == 401 || status == 403) {
            return new DaytonaAuthException(status, body, "Daytona refused the credentials for " + what + " (HTTP "
                    + status + detail + "). Check DAYTONA_API_KEY (or " + DaytonaConfig.API_KEY + ")"
                    + (status == 403 ? ", its permissions, and DAYTONA_ORGANIZATION_ID" : "") + ".");
        }
        if (status >= 500) {
            return new DaytonaServerException(status, body, "Daytona failed " + what + " (HTTP " + status + detail
                    + ")" + (retries > 0 ? " after " + retries + " retries" : "") + ". Try again later.");
        }
        return new DaytonaApiException(status, body, "Daytona answered HTTP " + status + " to " + what + detail + ".");
    }

    /** The {@code message} of a Daytona error body, or the body itself when it is not one. */
    static String messageOf(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode node = JSON.readTree(body);
            JsonNode message = node.get("message");
            if (message != null && !message.isNull()) {
                return message.isArray() ? message.toString() : message.asText();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: use the text as it is
        }
        String trimmed = body.strip();
        return trimmed.length() > 300 ? trimmed.substring(0, 300) + "..." : trimmed;
    }

    private String redact(String text) {
        return Redactor.redact(text, List.of(config.apiKey()));
    }

    private Duration backoff(int attempt) {
        long base = config.retryBaseDelay().toMillis();
        return Duration.ofMillis(Math.min(base << Math.min(attempt, 10), 30_000));
    }

    /**
     * Runs a cleanup call with the thread's interrupt flag cleared, then restores it: an interrupted test (a
     * timeout) must still delete what it created.
     */
    static void uninterrupted(Runnable cleanup) {
        boolean interrupted = Thread.interrupted();
        try {
            cleanup.run();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkspaceException("Interrupted while waiting to retry a Daytona call", e);
        }
    }

    /** The wait a 429 asks for, and the bucket it names. */
    record RetryAfter(String bucket, Duration delay) {
        static RetryAfter of(Headers headers) {
            for (String name : headers.names()) {
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.startsWith("retry-after-")) {
                    return new RetryAfter(lower.substring("retry-after-".length()), seconds(headers.get(name)));
                }
            }
            String plain = headers.get("Retry-After");
            return new RetryAfter("unknown", plain == null ? Duration.ZERO : seconds(plain));
        }

        private static Duration seconds(String value) {
            try {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
            } catch (NumberFormatException e) {
                return Duration.ofSeconds(1);
            }
        }
    }

    /** The connection broke after a call not safe to repeat was sent: it may or may not have taken effect. */
    static final class LostReply extends WorkspaceException {
        private static final long serialVersionUID = 1L;

        LostReply(String what, IOException cause) {
            super("The connection broke before Daytona replied to " + what + ": " + cause, cause);
        }
    }
}
