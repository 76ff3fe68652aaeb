package dev.magpie.benchmarks;

import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.local.CloneSpec;
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
 * Beside them, bwrap started by the shell that sets the limits, as an isolated workspace starts it, and an isolated
 * workspace with no limit to set ({@code magpie.local.limit.file-size=unlimited}), which starts bwrap without it. Target: isolated
 * exec at most 1.2x the bare bwrap. Then create+destroy of a clone workspace (cached, of a generated 2,000-file
 * repository), isolated beside plain (target at most 1.2x), and the same with one {@code exec("true")}, which makes an
 * isolated workspace's process-count group. Arguments: {@code [execRounds] [cloneRounds]} (defaults 300, 15; 0 clone
 * rounds skips the clones).
 */
public final class IsolationBenchmarks {

    private IsolationBenchmarks() {
    }

    public static void main(String[] args) throws IOException {
        execBenchmark(args.length > 0 ? Integer.parseInt(args[0]) : 300);
        int cloneRounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        if (cloneRounds < 1) {
            return;
        }
        Path work = java.nio.file.Files.createTempDirectory("magpie-bench-");
        try {
            cloneBenchmark(TreeOps.generateRepository(work.resolve("source"), 2000).toString(),
                    cloneRounds);
        } finally {
            TreeOps.delete(work);
        }
    }

    private static void cloneBenchmark(String source, int rounds) {
        Settings namespaces = Settings.builder().values(Map.of(LocalWorkspace.ISOLATION_KEY, "namespaces")).build();
        Settings none = Settings.builder().build();
        Measurements plain = new Measurements("clone workspace, isolation none");
        Measurements isolated = new Measurements("clone workspace, namespaces");
        Measurements plainExec = new Measurements("clone + exec(\"true\"), isolation none");
        Measurements isolatedExec = new Measurements("clone + exec(\"true\"), namespaces");
        CloneSpec spec = CloneSpec.of(source);
        LocalWorkspace.fromClone(spec, Map.of(), namespaces).destroy(); // warms the cache and the JIT
        for (int i = 0; i < rounds; i++) {
            // Each side goes first in every other round: what one leaves to the disk does not weigh on one side only.
            boolean plainFirst = i % 2 == 0;
            for (int side = 0; side < 2; side++) {
                if ((side == 0) == plainFirst) {
                    plain.time(() -> LocalWorkspace.fromClone(spec, Map.of(), none).destroy());
                    plainExec.time(() -> cloneAndExec(spec, none));
                } else {
                    isolated.time(() -> LocalWorkspace.fromClone(spec, Map.of(), namespaces).destroy());
                    isolatedExec.time(() -> cloneAndExec(spec, namespaces));
                }
            }
        }
        System.out.println("Create+destroy of a cached clone of a generated 2,000-file repository (" + rounds
                + " rounds, interleaved):");
        System.out.println(plain.line(null));
        System.out.println(isolated.line(plain) + "   target <= 1.20x");
        System.out.println(plainExec.line(plain));
        System.out.println(isolatedExec.line(plainExec));
    }

    private static void cloneAndExec(CloneSpec spec, Settings settings) {
        try (LocalWorkspace workspace = LocalWorkspace.fromClone(spec, Map.of(), settings)) {
            workspace.exec("true");
        }
    }

    private static void execBenchmark(int rounds) {
        Measurements bare = new Measurements("bare ProcessBuilder(\"true\")");
        Measurements bwrap = new Measurements("bare bwrap ... true");
        Measurements launched = new Measurements("bare sh (ulimit) + bwrap ... true");
        Measurements plain = new Measurements("workspace.exec(\"true\"), isolation none");
        Measurements isolated = new Measurements("workspace.exec(\"true\"), namespaces");
        Measurements unlimited = new Measurements("workspace.exec(\"true\"), namespaces, no limit");
        Settings namespaces = Settings.builder().values(Map.of(LocalWorkspace.ISOLATION_KEY, "namespaces")).build();
        Settings noLimit = Settings.builder().values(Map.of(LocalWorkspace.ISOLATION_KEY, "namespaces",
                LocalWorkspace.LIMIT_FILE_SIZE_KEY, "unlimited")).build();
        try (LocalWorkspace sandboxed = LocalWorkspace.temporary(Map.of(), namespaces);
             LocalWorkspace withoutLimits = LocalWorkspace.temporary(Map.of(), noLimit);
             LocalWorkspace unisolated = LocalWorkspace.temporary(Map.of())) {
            List<String> bareBwrap = bareBwrap(sandboxed.directory());
            List<String> viaShell = new ArrayList<>(List.of("/bin/sh", "-c", "ulimit -f 8388608 && ulimit -t unlimited"
                    + " && ulimit -v unlimited && exec \"$@\"", "sh"));
            viaShell.addAll(bareBwrap);
            for (int i = 0; i < rounds / 5; i++) { // warm-up
                run(List.of("true"));
                run(bareBwrap);
                sandboxed.exec("true");
                withoutLimits.exec("true");
                unisolated.exec("true");
            }
            for (int i = 0; i < rounds; i++) {
                bare.time(() -> run(List.of("true")));
                bwrap.time(() -> run(bareBwrap));
                launched.time(() -> run(viaShell));
                plain.time(() -> unisolated.exec("true"));
                isolated.time(() -> sandboxed.exec("true"));
                unlimited.time(() -> withoutLimits.exec("true"));
            }
        }
        System.out.println("Exec of `true` (" + rounds + " rounds, interleaved):");
        System.out.println(bare.line(null));
        System.out.println(plain.line(bare));
        System.out.println(bwrap.line(bare));
        System.out.println(launched.line(bwrap) + "   (the launcher shell that sets the limits)");
        System.out.println(isolated.line(bare));
        System.out.println(isolated.line(bwrap) + "   target <= 1.20x");
        System.out.println(unlimited.line(bwrap) + "   (no limit to set: no launcher shell)");
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
