package dev.magpie.daytona.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A process session of the toolbox: commands started in it run as real processes in the sandbox directory, with
 * stdout and stderr captured apart and together (the merged log marks each chunk with 3-byte prefixes, as the
 * daemon does). Deleting the session kills what still runs. Each command runs in its own shell, so shell state
 * ({@code cd}, variables) does not carry from one command to the next.
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

    Session(String id) {
        this.id = id;
    }

    Command start(String command, Path directory, Map<String, String> env) throws IOException {
        Process process = Processes.start(command, directory, env);
        process.getOutputStream().close();
        Command c = new Command(command, process);
        commands.put(c.id, c);
        return c;
    }

    void kill() {
        commands.values().forEach(c -> Processes.killTree(c.process));
    }
}
