package dev.magpie.sandbox.daytona;

import java.util.Deque;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The toolbox sessions of one workspace, kept between commands so a command costs no session setup: a command
 * takes an idle session (creating one when none is idle, so threads running commands at once each get their own),
 * and gives it back when it ended. A session whose command may still run (timed out, or its reply was lost) is
 * deleted instead, which kills what runs in it. Sessions left idle go with the sandbox: deleting them one by one
 * on destroy would only add requests. Thread-safe.
 */
final class SessionPool {

    private final DaytonaToolbox toolbox;
    private final Deque<String> idle = new ConcurrentLinkedDeque<>();

    SessionPool(DaytonaToolbox toolbox) {
        this.toolbox = toolbox;
    }

    /** An idle session, or a new one. */
    String take() {
        String session = idle.pollFirst();
        return session != null ? session : create();
    }

    /** A new session. */
    String create() {
        String session = "magpie-" + UUID.randomUUID();
        toolbox.createSession(session);
        return session;
    }

    /** Drops the idle sessions without deleting them: they are known to be gone. */
    void forgetIdle() {
        idle.clear();
    }

    /** Gives back a session whose command ended; the next command runs in it. */
    void giveBack(String session) {
        idle.offerFirst(session);
    }

    /** Deletes a session that may still run a command, killing it. */
    void discard(String session) {
        Http.uninterrupted(() -> toolbox.deleteSession(session));
    }
}
