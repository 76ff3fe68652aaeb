package dev.magpie.daytona.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The toolbox's information and environment routes: the daemon version, changes to the process environment
 * ({@link DaemonEnv}), and the TCP ports listening as the sandbox sees them (read from {@code /proc/net/tcp} by a
 * command in the sandbox, so a container reports its own ports, and a sandbox that shares this machine's network
 * reports the machine's).
 */
final class ToolboxInfo {

    /** The daemon accepts port checks in this range only. */
    private static final int LOWEST_PORT = 3000;
    private static final int HIGHEST_PORT = 9999;
    private static final long COMMAND_TIMEOUT_SECONDS = 30;

    private ToolboxInfo() {
    }

    /** Serves the route and returns true, or returns false when it is not one of these. */
    static boolean handle(Call call, LocalSandbox sandbox, String route) throws IOException {
        if (call.method.equals("POST") && route.equals("/env")) {
            call.json(200, sandbox.daemonEnv.update(call.json()));
            return true;
        }
        if (!call.method.equals("GET")) {
            return false;
        }
        if (route.equals("/version")) {
            call.json(200, Map.of("version", DaytonaServer.DAEMON_VERSION));
        } else if (route.equals("/port")) {
            call.json(200, Map.of("ports", listening(sandbox)));
        } else if (route.matches("/port/[^/]+/in-use")) {
            inUse(call, sandbox, route.split("/")[2]);
        } else {
            return false;
        }
        return true;
    }

    private static void inUse(Call call, LocalSandbox sandbox, String raw) throws IOException {
        int port;
        try {
            port = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            call.toolboxError(400, "BAD_REQUEST", "invalid port: must be a number between " + LOWEST_PORT + " and "
                    + HIGHEST_PORT + ", got '" + raw + "'");
            return;
        }
        if (port < LOWEST_PORT || port > HIGHEST_PORT) {
            call.toolboxError(400, "BAD_REQUEST", "port out of range: must be between " + LOWEST_PORT + " and "
                    + HIGHEST_PORT + ", got " + port);
            return;
        }
        call.json(200, Map.of("isInUse", listening(sandbox).contains(port)));
    }

    /** The listening TCP ports (IPv4 and IPv6) the sandbox's own commands would see. */
    static Set<Integer> listening(LocalSandbox sandbox) throws IOException {
        return parse(output(sandbox, "cat /proc/net/tcp /proc/net/tcp6 2>/dev/null"));
    }

    /** The lines a command run in the sandbox (in its home) prints on stdout; its exit code does not matter. */
    static List<String> output(LocalSandbox sandbox, String command) throws IOException {
        Path output = Files.createTempFile(Files.createDirectories(sandbox.logs()), "info-", ".out");
        try {
            Process process = sandbox.exec(command, null, Map.of(), false, output);
            process.getOutputStream().close();
            try {
                if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    sandbox.runtime.kill(sandbox, process);
                    throw new IOException("'" + command + "' took over " + COMMAND_TIMEOUT_SECONDS + " s in sandbox "
                            + sandbox.id);
                }
            } catch (InterruptedException e) {
                sandbox.runtime.kill(sandbox, process);
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running '" + command + "' in sandbox " + sandbox.id, e);
            }
            return Files.readAllLines(output);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Ports of the lines whose state is 0A (LISTEN); the header lines and anything malformed are skipped. */
    static Set<Integer> parse(Iterable<String> lines) {
        Set<Integer> ports = new TreeSet<>();
        for (String line : lines) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > 3 && fields[3].equals("0A") && fields[1].contains(":")) {
                try {
                    ports.add(Integer.parseInt(fields[1].substring(fields[1].lastIndexOf(':') + 1), 16));
                } catch (NumberFormatException e) {
                    // not a socket line
                }
            }
        }
        return ports;
    }
}
