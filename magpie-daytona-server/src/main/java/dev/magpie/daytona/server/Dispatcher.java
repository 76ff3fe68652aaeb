package dev.magpie.daytona.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Every request goes through here: the bearer check, injected faults, rate limits, then the control plane
 * ({@code /api/...}) or the toolbox ({@code /toolbox/<id>/...}); the exchange is then given to observers.
 */
final class Dispatcher implements HttpHandler {

    private final DaytonaServer server;
    private final ControlPlane controlPlane;
    private final Toolbox toolbox;

    Dispatcher(DaytonaServer server, ControlPlane controlPlane, Toolbox toolbox) {
        this.server = server;
        this.controlPlane = controlPlane;
        this.toolbox = toolbox;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Call call = null;
        try {
            call = new Call(exchange, server::notifyObservers);
            serve(call);
        } catch (Call.BadRequest e) {
            if (e.status == 413) {
                // the rest of the body stays unread: the connection cannot carry another request
                call.header("Connection", "close");
            }
            replyError(call, e.status, e.getMessage());
        } catch (RuntimeException | IOException | Error e) {
            // an Error too (no thread or process could be made): answer 500 rather than leave the client hanging
            if (call != null && !call.replied()) {
                replyError(call, 500, "Internal server error: " + e);
            }
        } finally {
            if (call != null) {
                call.observe();
            }
            exchange.close();
        }
    }

    private void serve(Call call) throws IOException {
        boolean api = call.path.equals("/api") || call.path.startsWith("/api/");
        boolean box = call.path.startsWith("/toolbox/");
        if (!api && !box) {
            call.apiError(404, "Cannot " + call.method + " " + call.path);
            return;
        }
        String auth = call.header("Authorization");
        if (auth == null || !auth.equals("Bearer " + server.apiKey())) {
            replyError(call, 401, auth == null ? "Missing Authorization header" : "Invalid credentials");
            return;
        }
        String apiPath = api ? call.path.substring(4) : null;
        String bucket = api ? RateLimits.bucketOf(call.method, apiPath) : null;
        if (api) {
            RateLimits.Decision decision = server.rateLimits().count(bucket);
            call.headers(decision.headers());
            if (decision.exceeded()) {
                call.apiError(429, "ThrottlerException: Too Many Requests");
                return;
            }
        }
        Duration delay = server.faults().delay(call.method, call.path, bucket);
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        Optional<Fault> fault = server.faults().take(call.method, call.path, bucket);
        if (fault.isPresent() && fault.get().kind() != Fault.Kind.DROP_REPLY) {
            injectError(call, fault.get());
            return;
        }
        if (fault.isPresent()) {
            call.dropReply();
        }
        if (api) {
            controlPlane.handle(call, apiPath);
        } else {
            toolbox.handle(call, call.path.substring("/toolbox/".length()));
        }
    }

    private void injectError(Call call, Fault fault) throws IOException {
        if (fault.kind() == Fault.Kind.RATE_LIMITED) {
            String bucket = fault.bucket().orElseThrow();
            call.header("Retry-After-" + bucket, Integer.toString(fault.retryAfterSeconds()));
            call.header("X-RateLimit-Remaining-" + bucket, "0");
            call.apiError(429, fault.message().orElse("ThrottlerException: Too Many Requests"));
            return;
        }
        replyError(call, fault.status(), fault.message().orElseGet(() -> defaultMessage(fault.status())));
    }

    private static String defaultMessage(int status) {
        switch (status) {
            case 401: return "Invalid credentials";
            case 404: return "Not found";
            case 408: return "Command execution timed out";
            case 409: return "Sandbox state change in progress";
            case 500: return "Internal server error";
            default: return Call.reason(status);
        }
    }

    private static void replyError(Call call, int status, String message) throws IOException {
        if (call == null || call.replied()) {
            return;
        }
        if (call.path.startsWith("/toolbox/")) {
            call.toolboxError(status, Toolbox.codeFor(status), message);
        } else {
            call.apiError(status, message);
        }
    }
}
