package dev.magpie.daytona.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A process session of the toolbox: commands started in it run as real processes in the sandbox directory, with
 * stdout and stderr captured apart and together (the merged log marks each chunk with 3-byte prefixes, as the
 * daemon does). Deleting the session kills what still runs. As in the daemon's session shell, the working
 * directory and exported variables a command leaves carry over to the next command of the session (each command
 * runs in its own {@code sh}, which restores them first and saves them after).
 */
final class Session {

    static final byte[] STDOUT_MARK = {1, 1, 1};
    static final byte[] STDERR_MARK = {2, 2, 2};

    /** One command of a session. */
    static final class Command {
        final String id = UUID.randomUUID().toString();
        final String command;
        final Process process;
        private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        private final ByteArrayOutputStream merged = new ByteArrayOutputStream();
        private final Thread[] readers = new Thread[2];
        private volatile Integer exitCode;

        Command(String command, Process process) {
            this.command = command;
            this.process = process;
            readers[0] = pump(process.getInputStream(), stdout, STDOUT_MARK);
            readers[1] = pump(process.getErrorStream(), stderr, STDERR_MARK);
            process.onExit().thenRun(this::finish);
        }

        private void finish() {
            try {
                for (Thread reader : readers) {
                    reader.join(2_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exitCode = process.exitValue();
        }

        Integer exitCode() {
            return exitCode;
        }

        synchronized String stdout() {
            return stdout.toString(StandardCharsets.UTF_8);
        }

        synchronized String stderr() {
            return stderr.toString(StandardCharsets.UTF_8);
        }

        synchronized String merged() {
            return merged.toString(StandardCharsets.UTF_8);
        }

        private Thread pump(InputStream in, ByteArrayOutputStream own, byte[] mark) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try (in) {
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        synchronized (this) {
                            own.write(buffer, 0, n);
                            merged.write(mark, 0, mark.length);
                            merged.write(buffer, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // the process was killed: keep what was read
                }
            }, "daytona-session-output");
            t.setDaemon(true);
            t.start();
            return t;
        }
    }

    final String id;
    final Map<String, Command> commands = new ConcurrentHashMap<>();
    private final LocalSandbox sandbox;
    private final String state;

    /** A session of the sandbox, keeping its shell state in a directory of its own. */
    Session(String id, LocalSandbox sandbox) {
        this.id = id;
        this.sandbox = sandbox;
        this.state = sandbox.runtime.sessionState(sandbox, UUID.randomUUID().toString());
    }

    Command start(String command) throws IOException {
        String dir = "'" + state.replace("'", "'\\''") + "'";
        String script = "mkdir -p " + dir + "\nif [ -f " + dir + "/env ]; then . " + dir + "/env 2>/dev/null; fi\n"
                + "if [ -f " + dir + "/cwd ]; then cd \"$(cat " + dir + "/cwd)\" 2>/dev/null; fi\n"
                + "{ " + command + "\n}\n"
                + "__magpie_rc=$?\n"
                + "pwd > " + dir + "/cwd; export -p > " + dir + "/env\n"
                + "exit $__magpie_rc\n";
        Process process = sandbox.runtime.exec(sandbox, script, null, Map.of(), false);
        process.getOutputStream().close();
        Command c = new Command(command, process);
        commands.put(c.id, c);
        return c;
    }

    void kill() {
        commands.values().forEach(c -> sandbox.runtime.kill(sandbox, c.process));
    }
}
