package dev.magpie.sandbox;

import java.util.Locale;

/**
 * How far a local workspace's commands are kept from the rest of the machine. Containers and remote sandboxes are
 * isolated by what they are; this choice is the local provider's.
 */
public enum Isolation {

    /** Commands run as the test's user, in the workspace directory, with the whole machine in reach. */
    NONE,

    /**
     * Commands run in Linux namespaces (through bubblewrap): the workspace, mounted at {@code /workspace}, is the only
     * writable place they see, beside a private {@code /tmp}; system directories are read-only; they have their own
     * process tree and, unless the network policy allows it, no network.
     */
    NAMESPACES;

    /** The isolation named {@code value}, any case: {@code none} or {@code namespaces}. */
    public static Isolation of(String value) {
        for (Isolation isolation : values()) {
            if (isolation.name().equalsIgnoreCase(value.trim())) {
                return isolation;
            }
        }
        throw new InvalidInputException("Expected isolation none or namespaces, but found '" + value
                + "'. Use one of those.");
    }

    /** The name used in configuration: {@code none} or {@code namespaces}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
