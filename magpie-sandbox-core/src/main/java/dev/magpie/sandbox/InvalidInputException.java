package dev.magpie.sandbox;

/**
 * An argument, request or spec given to the library is invalid; nothing was created or changed. The message says
 * what was expected, what was found and what to do.
 */
public class InvalidInputException extends WorkspaceException {

    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }
}
