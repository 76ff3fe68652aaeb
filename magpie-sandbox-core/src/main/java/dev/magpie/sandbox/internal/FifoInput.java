package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.CommandStartException;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.WorkspaceException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Live stdin where a provider delivers stdin only before a command starts (a container's channel, a Daytona
 * session): the command is wrapped so that it reads a named pipe in the machine's temporary directory, held open
 * by a {@code sleep} so that it sees no end of file between writes; each write is a helper command that copies
 * the bytes into the pipe, and closing kills the holder. The wrapper passes the command's exit status on, and
 * removes the pipe when the command ends. Needs {@code mkfifo}, {@code sleep} and {@code cat}.
 */
final class FifoInput implements LiveInput {

    private static final Duration HELPER_TIMEOUT = Duration.ofSeconds(30);
    private static final String PIPE = "f=\"${TMPDIR:-/tmp}/.magpie-input-$1\"; shift";
    private static final String CANNOT_START = "magpie-input: cannot start: ";
    private static final String WRAPPER = String.join("\n",
            PIPE,
            "command -v \"$1\" > /dev/null 2>&1 || { echo \"" + CANNOT_START + "$1\" >&2; exit 127; }",
            "mkfifo -m 600 \"$f\" || { echo \"magpie: could not make the input pipe $f\" >&2; exit 125; }",
            "sleep 2147483647 > \"$f\" &",
            "echo $! > \"$f.holder\"",
            "\"$@\" < \"$f\" &",
            "c=$!",
            "wait \"$c\"; s=$?",
            "kill \"$(cat \"$f.holder\")\" 2>/dev/null; rm -f \"$f\" \"$f.holder\"",
            "exit \"$s\"");
    /** Waits for the pipe (the wrapper may not have made it yet) rather than creating a plain file. */
    private static final String WRITER = String.join("\n",
            PIPE,
            "while [ ! -p \"$f\" ]; do sleep 0.01; done",
            "cat > \"$f\"");
    private static final String CLOSER = String.join("\n",
            PIPE,
            "while [ ! -s \"$f.holder\" ]; do [ -p \"$f\" ] || exit 0; sleep 0.01; done",
            "kill \"$(cat \"$f.holder\")\" 2>/dev/null; exit 0");

    private final ServiceHost host;
    private final String id = UUID.randomUUID().toString();
    private final AtomicBoolean closed = new AtomicBoolean();

    FifoInput(ServiceHost host) {
        this.host = host;
    }

    @Override
    public ExecRequest attach(ExecRequest request) {
        ExecRequest.Builder wrapped = ExecRequest.builder("sh", "-c", WRAPPER, "magpie-input", id)
                .arg(request.command().toArray(String[]::new)).env(request.env())
                .outputLimit(request.outputLimit()).listener(request.listener()).timeout(request.timeout().orElse(null));
        request.subdirectory().ifPresent(wrapped::subdirectory);
        return wrapped.build();
    }

    @Override
    public synchronized void write(byte[] bytes) {
        if (closed.get()) {
            throw new WorkspaceException("Cannot write to the stdin of a background command after closing it.");
        }
        helper(ExecRequest.builder("sh", "-c", WRITER, "magpie-input", id).stdin(bytes), "write to");
    }

    @Override
    public synchronized void close() {
        if (closed.compareAndSet(false, true)) {
            helper(ExecRequest.builder("sh", "-c", CLOSER, "magpie-input", id), "close");
        }
    }

    @Override
    public void checkStarted(ExecRequest request, ExecResult ran) {
        if (ran.exitCode() == 127 && ran.stderr().startsWith(CANNOT_START)) {
            throw new CommandStartException(request.command().get(0), "not found or not executable", null);
        }
    }

    @Override
    public void release() {
        closed.set(true);
    }

    private void helper(ExecRequest.Builder request, String what) {
        ExecResult result = host.control(request.timeout(HELPER_TIMEOUT).build());
        if (!result.succeeded()) {
            throw new WorkspaceException("Could not " + what + " the stdin of a background command (exit code "
                    + result.exitCode() + (result.timedOut() ? ", timed out" : "") + "): " + result.stderrTail(5)
                    + ". Check that it still runs and reads its stdin.");
        }
    }
}
