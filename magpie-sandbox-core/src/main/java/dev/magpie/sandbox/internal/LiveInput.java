package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;

/** The stdin of a background command, fed while it runs. */
interface LiveInput {

    /** The request to run: {@code request}, reading its stdin from this input. */
    ExecRequest attach(ExecRequest request);

    /**
     * Throws the {@link dev.magpie.sandbox.CommandStartException} of a command that {@link #attach} wrapped and that
     * could not be started; does nothing otherwise.
     */
    void checkStarted(ExecRequest request, ExecResult ran);

    /** Sends bytes, in order with earlier writes. */
    void write(byte[] bytes);

    /** Ends the input after what was written; closing twice does nothing. */
    void close();

    /** The command ended or is being stopped: frees what feeds it, without reaching the machine again. */
    void release();
}
