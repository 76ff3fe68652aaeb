package dev.magpie.benchmarks;

import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.local.LocalWorkspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What isolating a local workspace's commands in namespaces costs, as medians of interleaved rounds:
 * {@code exec("true")} on an isolated workspace beside a bare {@link ProcessBuilder} running {@code true} and a bare
 * {@code bwrap} running {@code true} in a sandbox of the same shape (the floor of one sandbox per command).
 * Beside them, bwrap started by the shell that sets the limits, as an isolated workspace starts it. Target: isolated
 * exec at most 1.2x the bare bwrap. Argument: {@code [rounds]} (default 300).
 */
public final class IsolationBenchmarks {

    private IsolationBenchmarks() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        Measurements bare = new Measurements("bare ProcessBuilder(\"true\")");
        Measurements bwrap = new Measurements("bare bwrap ... true");
        Measurements launched = new Measurements("bare sh (ulimit) + bwrap ... true");
        Measurements plain = new Measurements("workspace.exec(\"true\"), isolation none");
        Measurements isolated = new Measurements("workspace.exec(\"true\"), namespaces");
        Settings namespaces = Settings.builder().values(Map.of(LocalWorkspace.ISOLATION_KEY, "namespaces")).build();
        try (LocalWorkspace sandboxed = LocalWorkspace.temporary(Map.of(), namespaces);
             LocalWorkspace unisolated = LocalWorkspace.temporary(Map.of())) {
            List<String> bareBwrap = bareBwrap(sandboxed.directory());
            List<String> viaShell = new ArrayList<>(List.of("/bin/sh", "-c", "ulimit -f 8388608 && ulimit -t unlimited"
                    + " && ulimit -v unlimited && exec \"$@\"", "sh"));
            viaShell.addAll(bareBwrap);
            for (int i = 0; i < rounds / 5; i++) { // warm-up
                run(List.of("true"));
                run(bareBwrap);
                sandboxed.exec("true");
                unisolated.exec("true");
            }
            for (int i = 0; i < rounds; i++) {
                bare.time(() -> run(List.of("true")));
                bwrap.time(() -> run(bareBwrap));
                launched.time(() -> run(viaShell));
                plain.time(() -> unisolated.exec("true"));
                isolated.time(() -> sandboxed.exec("true"));
            }
        }
        System.out.println("Exec of `true` (" + rounds + " rounds, interleaved):");
        System.out.println(bare.line(null));
        System.out.println(plain.line(bare));
        System.out.println(bwrap.line(bare));
        System.out.println(launched.line(bwrap) + "   (the launcher shell that sets the limits)");
        System.out.println(isolated.line(bare));
        System.out.println(isolated.line(bwrap) + "   target <= 1.20x");
    }

    /** The sandbox an isolated workspace makes, without its launcher, limits or environment. */
    private static List<String> bareBwrap(Path workspace) {
        List<String> command = new ArrayList<>(List.of("bwrap", "--unshare-all", "--die-with-parent",
                "--new-session", "--cap-drop", "ALL", "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"));
        for (String link : List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")) {
            Path path = Path.of(link);
            try {
                if (java.nio.file.Files.isSymbolicLink(path)) {
                    command.addAll(List.of("--symlink", java.nio.file.Files.readSymbolicLink(path).toString(), link));
                } else if (java.nio.file.Files.isDirectory(path)) {
                    command.addAll(List.of("--ro-bind", link, link));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        command.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--bind", workspace.toString(),
                "/workspace", "--chdir", "/workspace", "--", "true"));
        return command;
    }

    /** What a test would write by hand: start, close stdin, read both streams, wait. */
    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
            process.getInputStream().readAllBytes();
            process.getErrorStream().readAllBytes();
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: exit " + process.exitValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
