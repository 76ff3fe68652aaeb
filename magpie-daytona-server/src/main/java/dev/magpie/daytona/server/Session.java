package dev.magpie.daytona.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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

    /**
     * One command of a session. Its output goes to three files beside the sandbox's home (stdout, stderr and the
     * merged log), as the daemon keeps logs on disk: replies stream from them, so no output is held in memory.
     */
    static final class Command {
        final String id = UUID.randomUUID().toString();
        final String command;
        final Process process;
        private final Path stdout;
        private final Path stderr;
        private final Path merged;
        private final OutputStream stdoutFile;
        private final OutputStream stderrFile;
        private final OutputStream mergedFile;
        private final Thread[] readers = new Thread[2];
        private final boolean readsInput;
        private long stdoutSize;
        private long stderrSize;
        private long mergedSize;
        private int open = 2;
        private volatile Integer exitCode;

        Command(String command, Process process, Path logs, boolean readsInput) throws IOException {
            this.command = command;
            this.process = process;
            this.readsInput = readsInput;
            Files.createDirectories(logs);
            this.stdout = logs.resolve(id + ".stdout");
            this.stderr = logs.resolve(id + ".stderr");
            this.merged = logs.resolve(id + ".output");
            this.stdoutFile = Files.newOutputStream(stdout);
            this.stderrFile = Files.newOutputStream(stderr);
            this.mergedFile = Files.newOutputStream(merged);
            readers[0] = pump(process.getInputStream(), true);
            readers[1] = pump(process.getErrorStream(), false);
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
            synchronized (this) {
                exitCode = process.exitValue();
                notifyAll();
            }
        }

        Integer exitCode() {
            return exitCode;
        }

        /** Waits until the command ended and its output is all written, and returns its exit code. */
        synchronized int awaitExit() throws InterruptedException {
            while (exitCode == null) {
                wait();
            }
            return exitCode;
        }

        /** Whether the command's standard input stays open for {@code input} (asynchronous commands). */
        boolean readsInput() {
            return readsInput;
        }

        /** Waits up to the timeout for the merged log to grow past {@code size}, or for the command to end. */
        synchronized void awaitOutput(long size, long timeoutMillis) throws InterruptedException {
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
            while (mergedSize <= size && exitCode == null) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return;
                }
                wait(left);
            }
        }

        /** The output so far: each file up to what was written when asked. */
        synchronized Map<String, Object> logs() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("output", new StreamedJson.FileText(merged, mergedSize));
            out.put("stdout", new StreamedJson.FileText(stdout, stdoutSize));
            out.put("stderr", new StreamedJson.FileText(stderr, stderrSize));
            return out;
        }

        /** The merged log so far. */
        synchronized StreamedJson.FileText merged() {
            return new StreamedJson.FileText(merged, mergedSize);
        }

        /** Deletes the log files; output still arriving is dropped. */
        synchronized void discard() throws IOException {
            closeFiles();
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
            Files.deleteIfExists(merged);
        }

        private synchronized void append(boolean isStdout, byte[] bytes, int length) throws IOException {
            if (open == 0) {
                return;
            }
            byte[] mark = isStdout ? STDOUT_MARK : STDERR_MARK;
            (isStdout ? stdoutFile : stderrFile).write(bytes, 0, length);
            mergedFile.write(mark);
            mergedFile.write(bytes, 0, length);
            if (isStdout) {
                stdoutSize += length;
            } else {
                stderrSize += length;
            }
            mergedSize += mark.length + length;
            notifyAll();
        }

        private synchronized void ended() throws IOException {
            if (open > 0 && --open == 0) {
                closeFiles();
            }
        }

        private void closeFiles() throws IOException {
            open = 0;
            try (stdoutFile; stderrFile; mergedFile) {
                // closed in order, each even when another fails
            }
        }

        private Thread pump(InputStream in, boolean isStdout) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try (in) {
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        append(isStdout, buffer, n);
                    }
                } catch (IOException e) {
                    // the process was killed, or the disk is full: keep what was written
                } finally {
                    try {
                        ended();
                    } catch (IOException e) {
                        // nothing more can be written
                    }
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

    /** Starts the command; its standard input stays open when {@code readsInput}, else it reads end of file. */
    Command start(String command, boolean readsInput) throws IOException {
        String dir = "'" + state.replace("'", "'\\''") + "'";
        String script = "mkdir -p " + dir + "\nif [ -f " + dir + "/env ]; then . " + dir + "/env 2>/dev/null; fi\n"
                + "if [ -f " + dir + "/cwd ]; then cd \"$(cat " + dir + "/cwd)\" 2>/dev/null; fi\n"
                + "{ " + command + "\n}\n"
                + "__magpie_rc=$?\n"
                // the runtime's per-process marker stays that of each command, so deleting the session kills it
                + "pwd > " + dir + "/cwd; export -p | grep -v '[ ]" + DockerRuntime.MARKER + "=' > " + dir + "/env\n"
                + "exit $__magpie_rc\n";
        Process process = sandbox.exec(script, null, Map.of(), false, null);
        if (!readsInput) {
            process.getOutputStream().close();
        }
        Command c;
        try {
            c = new Command(command, process, sandbox.logs(), readsInput);
        } catch (IOException | RuntimeException e) {
            sandbox.runtime.kill(sandbox, process);
            throw e;
        }
        commands.put(c.id, c);
        return c;
    }

    /** Kills what still runs and deletes the commands' logs. */
    void kill() {
        commands.values().forEach(c -> sandbox.runtime.kill(sandbox, c.process));
        for (Command c : commands.values()) {
            try {
                c.discard();
            } catch (IOException e) {
                // the sandbox's directory goes with the sandbox
            }
        }
    }
}
