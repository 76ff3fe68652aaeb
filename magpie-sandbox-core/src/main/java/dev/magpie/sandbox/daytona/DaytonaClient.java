package dev.magpie.sandbox.daytona;

import dev.magpie.sandbox.InvalidInputException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.JvmIdentity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * The Daytona control plane: create, get, list by labels, delete, wait for {@code started}, and the toolbox of a
 * sandbox. Thread-safe; every client shares one connection pool.
 *
 * <p>Every sandbox created here carries the labels {@value #LABEL_MANAGED}, {@value #LABEL_OWNER} and a unique
 * {@value #LABEL_CREATE_TOKEN}. A create is never repeated: when its reply is lost (the connection broke, or a
 * 5xx), the sandbox it may have made is found by its token label and deleted before the error is thrown.
 */
public final class DaytonaClient {

    /** Marks sandboxes created by this library. */
    public static final String LABEL_MANAGED = "magpie.dev/managed";
    /** Who created the sandbox ({@link DaytonaConfig#owner()}); sweeps are scoped to one owner. */
    public static final String LABEL_OWNER = "magpie.dev/owner";
    /** Unique per create call, to find a sandbox whose create reply was lost. */
    public static final String LABEL_CREATE_TOKEN = "magpie.dev/create-token";
    /** The host of the JVM that created the sandbox. */
    public static final String LABEL_HOST = "magpie.dev/host";
    /** The JVM that created the sandbox ({@code pid@startMillis}), so that a sweep can tell it has ended. */
    public static final String LABEL_JVM = "magpie.dev/jvm";

    private static final int DELETE_CONFLICT_ATTEMPTS = 8;
    private static final int LOST_CREATE_LOOKS = 3;

    private final Http http;
    private final HttpUrl base;

    private DaytonaClient(DaytonaConfig config) {
        this.http = new Http(config);
        this.base = HttpUrl.parse(config.apiUrl());
        if (base == null) {
            throw new InvalidInputException("The Daytona API URL must be an http:// or https:// URL, but was '" + config.apiUrl() + "'; set DAYTONA_API_URL or " + DaytonaConfig.API_URL + " to such a URL.");
        }
    }

    public static DaytonaClient of(DaytonaConfig config) {
        return new DaytonaClient(Objects.requireNonNull(config, "config"));
    }

    public DaytonaConfig config() {
        return http.config();
    }

    /**
     * Creates a sandbox and returns it as Daytona first reports it (usually not yet {@code started}).
     *
     * @throws DaytonaUnknownSnapshotException when the snapshot does not exist
     * @throws DaytonaAuthException when the credentials are refused
     */
    public DaytonaSandbox create(DaytonaCreateRequest request) {
        String token = UUID.randomUUID().toString();
        DaytonaCreateRequest.Builder labelled = request.newBuilder()
                .label(LABEL_MANAGED, "true").label(LABEL_OWNER, config().owner()).label(LABEL_CREATE_TOKEN, token)
                .label(LABEL_HOST, JvmIdentity.current().host()).label(LABEL_JVM, JvmIdentity.current().label());
        if (request.target().isEmpty()) {
            config().target().ifPresent(labelled::target);
        }
        DaytonaCreateRequest sent = labelled.build();
        Request post = Http.post(url("sandbox"), Http.json(sent.toJson()));
        try {
            return DaytonaSandbox.fromJson(http.send(post, false).json());
        } catch (Http.LostReply | DaytonaServerException e) {
            throw recoverLostCreate(token, e);
        } catch (DaytonaApiException e) {
            if (isUnknownSnapshot(e)) {
                throw new DaytonaUnknownSnapshotException(e.status(), e.body(), request.snapshot().orElse("(default)"));
            }
            throw e;
        } catch (WorkspaceException e) {
            if (!Thread.currentThread().isInterrupted()) {
                throw e;
            }
            // Interrupted with the request sent: the sandbox may exist. Find and delete it before giving up.
            WorkspaceException[] outcome = {e};
            Http.uninterrupted(() -> outcome[0] = recoverLostCreate(token, e));
            throw outcome[0];
        }
    }

    /** The sandbox, or empty when Daytona does not know it (404). */
    public Optional<DaytonaSandbox> find(String idOrName) {
        return Http.unlessNotFound(() -> DaytonaSandbox.fromJson(http.send(Http.get(url("sandbox", idOrName)), true)
                .json()));
    }

    /** Every sandbox carrying all the given labels, across pages. */
    public List<DaytonaSandbox> list(Map<String, String> labels) {
        List<DaytonaSandbox> out = new ArrayList<>();
        String cursor = null;
        do {
            HttpUrl.Builder u = url("sandbox").newBuilder().addQueryParameter("limit", "100");
            if (!labels.isEmpty()) {
                u.addQueryParameter("labels", new String(toJsonBytes(labels), java.nio.charset.StandardCharsets.UTF_8));
            }
            if (cursor != null) {
                u.addQueryParameter("cursor", cursor);
            }
            JsonNode page = http.send(Http.get(u.build()), true).json();
            JsonNode items = page.isArray() ? page : page.path("items");
            items.forEach(item -> out.add(DaytonaSandbox.fromJson(item)));
            JsonNode next = page.path("nextCursor");
            cursor = page.isArray() || next.isNull() || next.isMissingNode() || next.asText().isEmpty()
                    ? null : next.asText();
        } while (cursor != null);
        return out;
    }

    /**
     * Deletes the sandbox, retrying while Daytona answers 409 (another state change in progress). Deleting a
     * sandbox that no longer exists does nothing.
     */
    public void delete(String idOrName) {
        Request delete = Http.delete(url("sandbox", idOrName));
        for (int attempt = 0; ; attempt++) {
            try {
                http.send(delete, true);
                return;
            } catch (DaytonaApiException e) {
                if (e.status() == 404) {
                    return;
                }
                if (e.status() != 409) {
                    throw e;
                }
                if (attempt + 1 >= DELETE_CONFLICT_ATTEMPTS) {
                    throw new DaytonaApiException(409, e.body(), e.getMessage() + " Gave up after "
                            + DELETE_CONFLICT_ATTEMPTS + " attempts; sandbox " + idOrName + " still exists. Its "
                            + "auto-stop and auto-delete intervals remove it later, or run the sweep.");
                }
                Http.sleep(Duration.ofMillis(Math.min(2_000,
                        config().retryBaseDelay().toMillis() << Math.min(attempt, 10))));
            }
        }
    }

    /**
     * Polls until the sandbox is {@code started}: first after 100 ms, each wait then a quarter longer than the one
     * before, up to 1 s (the official SDKs' ceiling). A quick start is seen within a quarter of its own time, and a
     * slow one costs about one request a second: 13 polls for a 6 s start. Does not delete the sandbox on failure.
     *
     * @throws DaytonaStartException on {@code error}, {@code build_failed}, {@code destroyed}, a 404, or the deadline
     */
    public DaytonaSandbox awaitStarted(DaytonaSandbox sandbox, Duration deadline) {
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        DaytonaSandbox current = sandbox;
        long intervalMs = 100;
        // polls are spaced from one start to the next, so the time a poll takes does not stretch the schedule
        long nextPoll = start;
        while (true) {
            switch (current.phase()) {
                case STARTED:
                    return current;
                case FAILED:
                    throw new DaytonaStartException(current.id(), current.state(), current.errorReason(),
                            "Daytona sandbox " + current.id() + " failed to start (state " + current.state() + ")"
                                    + (current.errorReason() != null ? ": " + current.errorReason() : "")
                                    + ". Check the snapshot and the region's capacity.");
                case GONE:
                    throw new DaytonaStartException(current.id(), current.state(), current.errorReason(),
                            "Daytona sandbox " + current.id() + " was destroyed while starting (state "
                                    + current.state() + ").");
                default:
                    break;
            }
            long now = System.nanoTime();
            if (now >= end) {
                throw new DaytonaStartException(current.id(), current.state(), current.errorReason(),
                        "Daytona sandbox " + current.id() + " did not start within " + deadline.toSeconds()
                                + " s (last state " + current.state() + "). Raise "
                                + DaytonaConfig.START_TIMEOUT + ".");
            }
            nextPoll = Math.min(end, Math.max(nextPoll + intervalMs * 1_000_000, now + 1_000_000));
            Http.sleep(Duration.ofNanos(nextPoll - now));
            intervalMs = Math.min(1_000, intervalMs + intervalMs / 4);
            String id = current.id();
            current = find(id).orElseThrow(() -> new DaytonaStartException(id, "destroyed", null,
                    "Daytona sandbox " + id + " disappeared (404) while starting."));
        }
    }

    /** The toolbox of a sandbox, at its {@code toolboxProxyUrl} (asked for when the sandbox does not say). */
    public DaytonaToolbox toolbox(DaytonaSandbox sandbox) {
        String proxy = sandbox.toolboxProxyUrl();
        if (proxy == null || proxy.isBlank()) {
            proxy = http.send(Http.get(url("sandbox", sandbox.id(), "toolbox-proxy-url")), true).json()
                    .path("url").asText();
        }
        HttpUrl proxyUrl = HttpUrl.parse(proxy);
        if (proxyUrl == null) {
            throw new WorkspaceException("Daytona reported an invalid toolbox URL for sandbox " + sandbox.id()
                    + ": '" + proxy + "'.");
        }
        return new DaytonaToolbox(http, proxyUrl.newBuilder().addPathSegment(sandbox.id()).build(), sandbox.id());
    }

    /**
     * A signed preview URL of a sandbox's port ({@code GET /sandbox/{id}/ports/{port}/signed-preview-url}): where
     * HTTP to that port is proxied, its token carried in the URL, so that it serves a private sandbox with no header
     * (the plain preview URL wants {@code X-Daytona-Preview-Token}). It stays valid for {@code validFor}, whole
     * seconds.
     */
    public java.net.URI previewUrl(String sandboxId, int port, java.time.Duration validFor) {
        HttpUrl route = url("sandbox", sandboxId, "ports", Integer.toString(port), "signed-preview-url").newBuilder()
                .addQueryParameter("expiresInSeconds", Long.toString(Math.max(1, validFor.toSeconds()))).build();
        String url = http.send(Http.get(route), true).json().path("url").asText();
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null) {
            throw new WorkspaceException("Daytona reported an invalid preview URL for port " + port + " of sandbox "
                    + sandboxId + ": '" + url + "'.");
        }
        return parsed.uri();
    }

    private WorkspaceException recoverLostCreate(String token, WorkspaceException cause) {
        List<DaytonaSandbox> found;
        try {
            found = list(Map.of(LABEL_CREATE_TOKEN, token));
            // listing is eventually consistent: look again a few times before concluding nothing was made
            for (int attempt = 0; found.isEmpty() && attempt < LOST_CREATE_LOOKS; attempt++) {
                Http.sleep(config().retryBaseDelay().multipliedBy(1L << attempt));
                found = list(Map.of(LABEL_CREATE_TOKEN, token));
            }
            for (DaytonaSandbox sandbox : found) {
                delete(sandbox.id());
            }
        } catch (WorkspaceException e) {
            WorkspaceException leak = new WorkspaceException("Creating a Daytona sandbox failed ("
                    + cause.getMessage()
                    + "), and finding what it may have created failed too (" + e.getMessage() + "). A sandbox "
                    + "labelled " + LABEL_CREATE_TOKEN + "=" + token + " may be left; the sweep deletes it.", cause);
            leak.addSuppressed(e);
            return leak;
        }
        if (cause instanceof DaytonaServerException) {
            return cause;
        }
        return new WorkspaceException("Creating a Daytona sandbox failed: " + cause.getMessage() + ". "
                + (found.isEmpty() ? "No sandbox it made was found (labelled " + LABEL_CREATE_TOKEN + "=" + token
                + "; the sweep deletes one that shows up later)." : "The sandbox it created (" + found.get(0).id()
                + ") was deleted.") + " Nothing was retried; create again.", cause);
    }

    private static boolean isUnknownSnapshot(DaytonaApiException e) {
        String message = Http.messageOf(e.body()).toLowerCase(Locale.ROOT);
        return (e.status() == 404 || e.status() == 400) && message.contains("snapshot")
                && message.contains("not found");
    }

    private static byte[] toJsonBytes(Object value) {
        try {
            return Http.JSON.writeValueAsBytes(value);
        } catch (java.io.IOException e) {
            throw new WorkspaceException("Could not write a request body as JSON: " + e.getMessage(), e);
        }
    }

    HttpUrl url(String... segments) {
        return Http.url(base, segments);
    }

    Http http() {
        return http;
    }

    @Override
    public String toString() {
        return "DaytonaClient{" + config() + "}";
    }
}
