package dev.magpie.sandbox.daytona;

/** Daytona answered 5xx (after the bounded retries, for calls safe to repeat). */
public final class DaytonaServerException extends DaytonaApiException {

    private static final long serialVersionUID = 1L;

    public DaytonaServerException(int status, String body, String message) {
        super(status, body, message);
    }
}
