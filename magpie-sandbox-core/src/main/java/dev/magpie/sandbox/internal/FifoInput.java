package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.CommandStartException;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.WorkspaceException;
import java.time.Duration;
import java.util.UUID;

/**
 * Live stdin where a provider delivers stdin only before a command starts (a container's channel, a Daytona
 * session): the command is wrapped so that it reads a named pipe, held open by a {@code sleep} so that it sees no
 * end of file between writes; each write is a helper command that copies the bytes into the pipe, and closing kills
 * the holder. The wrapper passes the command's exit status on, and removes the pipe when the command ends. Needs
 * {@code mkdir}, {@code mkfifo}, {@code sleep} and {@code cat}.
 *
 * <p>The pipe lies in a directory of its own under {@code /tmp}, at a path chosen here and given to the wrapper and
 * to every helper, whatever {@code TMPDIR} the command has. The wrapper makes the directory as the command's user,
 * private and without the sticky bit, so that a helper running as root may open the pipe even where
 * {@code fs.protected_fifos} forbids it in {@code /tmp} itself. A write or close that comes before the pipe is ready
 * waits for it, in order, until {@link #READY_TIMEOUT}.
 */
final class FifoInput implements LiveInput {

    private static final Duration HELPER_TIMEOUT = Duration.ofSeconds(30);
    /** How long a write or close waits for the wrapper to make the pipe, from the first try. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    /** A helper's exit code when the pipe is not ready yet (or gone with its command). */
    private static final int NOT_READY = 3;
    private static final String CANNOT_START = "magpie-input: cannot start: ";
    /**
     * The command runs in the foreground, so that a SIGTERM meant for it does not end the wrapper before it ends:
     * the wrapper's handler runs after the command (a handler, not an ignored signal, which the command would
     * inherit), and the command's exit status is had as the shell reports it, bash's too.
     * The holder writes its pid once it holds the pipe open, which it does only when the command holds the other
     * end: from then on, a write cannot end the command's input before the close, and killing the holder ends it.
     */
    private static final String WRAPPER = String.join("\n",
            "d=$1; shift",
            "trap : TERM",
            "command -v \"$1\" > /dev/null 2>&1 || { echo \"" + CANNOT_START + "$1\" >&2; exit 127; }",
            "mkdir -m 700 \"$d\" && mkfifo -m 600 \"$d/in\" \\",
            "    || { echo \"magpie: could not make the input pipe $d/in\" >&2; exit 125; }",
            "sh -c 'echo $$ > \"$1\"; exec sleep 2147483647' magpie-input-holder \"$d/holder\" > \"$d/in\" &",
            "h=$!",
            "\"$@\" < \"$d/in\"",
            "s=$?",
            "kill \"$h\" 2>/dev/null; rm -rf \"$d\"",
            "exit \"$s\"");
    /**
     * Waits in the machine for the holder a short while, which is when the pipe is ready in all but the first
     * moments; then reports {@link #NOT_READY} for this JVM to try again while the command runs.
     */
    private static final String READY = String.join("\n",
            "d=$1; i=0",
            "while [ ! -s \"$d/holder\" ]; do",
            "  [ \"$i\" -lt 100 ] || exit " + NOT_READY,
            "  i=$((i + 1)); sleep 0.01",
            "done");
    private static final String WRITER = READY + "\ncat > \"$d/in\"";
    private static final String CLOSER = READY + "\nkill \"$(cat \"$d/holder\")\" 2>/dev/null; exit 0";

    private final ServiceHost host;
    private final String directory = "/tmp/.magpie-input-" + UUID.randomUUID();
    private boolean closed;
    private volatile boolean released;

    FifoInput(ServiceHost host) {
        this.host = host;
    }

    @Override
    public ExecRequest attach(ExecRequest request) {
        ExecRequest.Builder wrapped = ExecRequest.builder("sh", "-c", WRAPPER, "magpie-input", directory)
                .arg(request.command().toArray(String[]::new)).env(request.env())
                .outputLimit(request.outputLimit()).listener(request.listener()).timeout(request.timeout().orElse(null));
        request.subdirectory().ifPresent(wrapped::subdirectory);
        return wrapped.build();
    }

    @Override
    public synchronized void write(byte[] bytes) {
        if (closed) {
            throw new WorkspaceException("Cannot write to the stdin of a background command after closing it.");
        }
        if (!helper(ExecRequest.builder("sh", "-c", WRITER, "magpie-input", directory).stdin(bytes), "write to")) {
            throw new WorkspaceException("Could not write to the stdin of a background command: it ended, or was"
                    + " being stopped, before its input was ready. Check its result with waitFor.");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            helper(ExecRequest.builder("sh", "-c", CLOSER, "magpie-input", directory), "close");
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
        released = true;
    }

    /**
     * Runs the helper once the pipe is ready; false when the command ended (or is being stopped) without it,
     * where nothing remains to feed.
     */
    private boolean helper(ExecRequest.Builder builder, String what) {
        ExecRequest request = builder.timeout(HELPER_TIMEOUT).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!released) {
            ExecResult result = host.control(request);
            if (result.succeeded()) {
                return true;
            }
            if (result.exitCode() != NOT_READY) {
                throw new WorkspaceException("Could not " + what + " the stdin of a background command (exit code "
                        + result.exitCode() + (result.timedOut() ? ", timed out" : "") + "): "
                        + result.stderrTail(5) + ". Check that it still runs and reads its stdin.");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new WorkspaceException("Expected the stdin of a background command to be ready within "
                        + READY_TIMEOUT.toSeconds() + " s of the first try to " + what + " it, but its named pipe "
                        + directory + "/in was not made. Check that the machine can run mkfifo and sleep, and that"
                        + " /tmp is writable there.");
            }
        }
        return false;
    }
}
