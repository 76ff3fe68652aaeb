package dev.magpie.sandbox.conformance;

/** One way a provider may depart from the contract; declared, with its reason, in {@link Differences}. */
public enum Difference {

    /**
     * The listener hears a command's lines only once the command has ended, not while it runs (for example when
     * the service hands out logs only at the end). The lines, their order per stream and their channels still
     * follow the contract.
     */
    LISTENER_AFTER_EXIT,

    /**
     * A process killed by a signal does not report {@link dev.magpie.sandbox.ExecResult#KILLED}, for example when
     * the service only passes on the exit status of a shell wrapped around the command.
     */
    SIGNAL_EXIT_CODE
}
