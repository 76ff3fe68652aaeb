package dev.magpie.sandbox;

/** A workspace was used after {@link Workspace#destroy()}. */
public final class WorkspaceDestroyedException extends WorkspaceException {

    private static final long serialVersionUID = 1L;

    private final String workspaceId;

    public WorkspaceDestroyedException(String provider, String workspaceId) {
        super("The " + provider + " workspace " + workspaceId
                + " was already destroyed; create a new workspace instead of reusing this one.");
        this.workspaceId = workspaceId;
    }

    public String workspaceId() {
        return workspaceId;
    }
}
