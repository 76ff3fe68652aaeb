package dev.magpie.sandbox.daytona;

/** Daytona refused the credentials (401) or their permissions (403). */
public final class DaytonaAuthException extends DaytonaApiException {

    private static final long serialVersionUID = 1L;

    public DaytonaAuthException(int status, String body, String message) {
        super(status, body, message);
    }
}
