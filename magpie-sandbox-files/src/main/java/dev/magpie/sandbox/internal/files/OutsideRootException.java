package dev.magpie.sandbox.internal.files;

import java.io.IOException;

/** A path was refused because it leads outside the root: through a symlink, or above it; nothing was touched. */
public final class OutsideRootException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String path;
    private final String reason;

    OutsideRootException(String path, String reason) {
        super("'" + path + "' " + reason);
        this.path = path;
        this.reason = reason;
    }

    /** The path as it was asked for, relative to the root. */
    public String path() {
        return path;
    }

    /** Why it was refused, as a clause: "it leads through the symlink 'a' to /etc". */
    public String reason() {
        return reason;
    }
}
