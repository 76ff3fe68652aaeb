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
    SIGNAL_EXIT_CODE,

    /**
     * Each command has a process tree of its own, which ends with it: process ids one command sees mean nothing to
     * the next, so a later command cannot look for an earlier one's processes (there are none left to find).
     */
    PROCESSES_PER_COMMAND,

    /**
     * Commands can write nowhere outside the working directory that outlasts them (each has a private
     * {@code /tmp}), so the contract cannot plant a directory outside with a command to check that file operations
     * leave it alone. The provider proves its path refusals with tests of its own.
     */
    NO_SHARED_OUTSIDE,

    /**
     * A running command's stdin cannot be fed: the provider delivers stdin before a command starts, so
     * {@link dev.magpie.sandbox.BackgroundProcess#writeInput(byte[])} refuses with the reason.
     */
    NO_LIVE_INPUT,

    /**
     * The workspace's ports cannot be reached from the test's JVM (its commands have a network of their own), so
     * {@link dev.magpie.sandbox.Workspace#endpoint(int)} refuses with the reason.
     */
    NO_ENDPOINT
}
