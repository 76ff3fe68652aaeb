package dev.magpie.sandbox.daytona;

import dev.magpie.sandbox.WorkspaceException;

/**
 * Daytona answered a call with a status that is not a success. Carries the status and the body as received;
 * subtypes say what to do for credentials, unknown snapshots, rate limits and server errors.
 */
public class DaytonaApiException extends WorkspaceException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String body;

    public DaytonaApiException(int status, String body, String message) {
        super(message);
        this.status = status;
        this.body = body == null ? "" : body;
    }

    /** The HTTP status of the reply. */
    public int status() {
        return status;
    }

    /** The reply body as text, possibly empty or not JSON. */
    public String body() {
        return body;
    }
}
