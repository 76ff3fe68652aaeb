package dev.magpie.sandbox;

/** A program could not be started at all (not found, not executable). A command that ran and failed is data. */
public final class CommandStartException extends WorkspaceException {

    private static final long serialVersionUID = 1L;

    private final String program;

    public CommandStartException(String program, String reason, Throwable cause) {
        super("Could not start program '" + program + "': " + reason
                + ". Check that it is installed and on the PATH of the workspace.", cause);
        this.program = program;
    }

    public String program() {
        return program;
    }
}
