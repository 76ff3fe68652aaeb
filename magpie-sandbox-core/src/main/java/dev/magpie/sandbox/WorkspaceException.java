package dev.magpie.sandbox;

/** The root of every exception this library throws. Unchecked; subtypes carry the data of the failure. */
public class WorkspaceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WorkspaceException(String message) {
        super(message);
    }

    public WorkspaceException(String message, Throwable cause) {
        super(message, cause);
    }
}
