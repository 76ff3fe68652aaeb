package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.ExecResult;

/**
 * The one mapping from an exit status to {@link ExecResult#exitCode()}. A process killed by signal n reports status
 * 128 + n (Java's {@code Process}, the Docker engine and a shell's {@code $?} alike), which cannot be told apart from an
 * explicit {@code exit 129..192}; that whole range reads as {@link ExecResult#KILLED}.
 */
public final class ExitCodes {

    /** The highest signal number on Linux ({@code SIGRTMAX}). */
    private static final int HIGHEST_SIGNAL = 64;

    private ExitCodes() {
    }

    /** The exit code to report for a process that ended with {@code status}. */
    public static int of(long status) {
        return status > 128 && status <= 128 + HIGHEST_SIGNAL ? ExecResult.KILLED : (int) status;
    }
}
