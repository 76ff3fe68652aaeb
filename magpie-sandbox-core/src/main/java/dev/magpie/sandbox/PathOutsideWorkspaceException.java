package dev.magpie.sandbox;

/** A path that resolves outside the workspace's working directory was refused; nothing outside was touched. */
public final class PathOutsideWorkspaceException extends WorkspaceException {

    private static final long serialVersionUID = 1L;

    private final String path;
    private final String workingDir;

    public PathOutsideWorkspaceException(String path, String workingDir, String reason) {
        super("Refused path '" + printable(path) + "': " + reason + ". Paths must stay inside the working directory "
                + workingDir + "; pass a path relative to it.");
        this.path = path;
        this.workingDir = workingDir;
    }

    /** The path as given. */
    public String path() {
        return path;
    }

    /** The working directory it had to stay inside. */
    public String workingDir() {
        return workingDir;
    }

    private static String printable(String path) {
        return path.replace("\0", "\\0");
    }
}
