package dev.magpie.benchmarks;

import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.internal.ProcessTree;
import dev.magpie.sandbox.local.LocalWorkspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Figures for local workspaces, each beside a baseline, as medians:
 * <ul>
 *   <li>create+destroy of a clone workspace of a generated 2,000-file repository, with a cold cache (first) and a
 *       warm one (cached), beside one {@code git clone} per sandbox and a plain recursive copy of the working
 *       tree (each with its delete);</li>
 *   <li>{@code exec("true")} beside a bare {@link ProcessBuilder} in the same JVM.</li>
 * </ul>
 * Targets: cached clone at most 2x the plain copy; exec at most 1.25x the bare ProcessBuilder.
 * Arguments: {@code [cloneRounds] [execRounds]} (defaults 15 and 300).
 */
public final class LocalBenchmarks {

    private LocalBenchmarks() {
    }

    public static void main(String[] args) throws Exception {
        int cloneRounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int execRounds = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        Path work = Files.createTempDirectory("magpie-bench-");
        try {
            cloneBenchmark(work, cloneRounds);
            execBenchmark(execRounds);
            killBenchmark(execRounds);
        } finally {
            TreeOps.delete(work);
        }
    }

    private static void cloneBenchmark(Path work, int rounds) throws IOException {
        Path source = TreeOps.generateRepository(work.resolve("source"), 2000);
        Measurements copy = new Measurements("plain recursive copy + delete");
        Measurements gitClone = new Measurements("git clone per sandbox + delete");
        Measurements first = new Measurements("clone workspace, first (cold cache)");
        Measurements cached = new Measurements("clone workspace, cached");
        LocalWorkspace.fromClone(source.toString()).destroy(); // warms the cache and the JIT
        for (int i = 0; i < rounds; i++) {
            Path target = work.resolve("copy-" + i);
            copy.time(() -> {
                TreeOps.copyWorkingTree(source, target);
                TreeOps.delete(target);
            });
            Path cloned = work.resolve("git-" + i);
            gitClone.time(() -> {
                TreeOps.git(work, "clone", "--quiet", source.toString(), cloned.toString());
                TreeOps.delete(cloned);
            });
            // A source this JVM has not cloned yet: another path to the same repository.
            Path fresh = Files.createSymbolicLink(work.resolve("alias-" + i), source);
            first.time(() -> LocalWorkspace.fromClone(fresh.toString()).destroy());
            cached.time(() -> LocalWorkspace.fromClone(source.toString()).destroy());
        }
        System.out.println("Clone workspaces of a generated 2,000-file repository (" + rounds + " rounds):");
        System.out.println(copy.line(null));
        System.out.println(gitClone.line(copy));
        System.out.println(first.line(copy));
        System.out.println(cached.line(copy) + "   target <= 2.00x");
        System.out.println(cached.line(gitClone));
    }

    private static void execBenchmark(int rounds) {
        Measurements bare = new Measurements("bare ProcessBuilder(\"true\")");
        Measurements exec = new Measurements("workspace.exec(\"true\")");
        try (LocalWorkspace workspace = LocalWorkspace.temporary(Map.of())) {
            for (int i = 0; i < rounds / 5; i++) { // warm-up
                runBare(workspace.directory());
                workspace.exec("true");
            }
            for (int i = 0; i < rounds; i++) {
                bare.time(() -> runBare(workspace.directory()));
                exec.time(() -> workspace.exec("true"));
            }
        }
        System.out.println("Exec of `true` (" + rounds + " rounds, interleaved):");
        System.out.println(bare.line(null));
        System.out.println(exec.line(bare) + "   target <= 1.25x");
    }

    /** What killing a process tree on timeout costs: one scan of /proc, and a timed-out exec beyond its limit. */
    private static void killBenchmark(int rounds) {
        Measurements scan = new Measurements("scan /proc for marked processes");
        Measurements timedOut = new Measurements("exec(sleep 10) with a 50 ms timeout");
        for (int i = 0; i < rounds; i++) {
            scan.time(() -> ProcessTree.marked("MAGPIE_EXEC=none"));
        }
        try (LocalWorkspace workspace = LocalWorkspace.temporary(Map.of())) {
            ExecRequest request = ExecRequest.builder("sh", "-c", "sleep 10 & sleep 10").timeout(Duration.ofMillis(50))
                    .build();
            for (int i = 0; i < Math.max(5, rounds / 10); i++) {
                timedOut.time(() -> workspace.exec(request));
            }
        }
        System.out.println("Process-tree kill (" + ProcessHandle.allProcesses().count() + " processes on the machine):");
        System.out.println(scan.line(null));
        System.out.println(timedOut.line(null) + "   (the kill costs the excess over 50 ms)");
    }

    /** What a test would write by hand: start, close stdin, read both streams, wait. */
    private static void runBare(Path directory) {
        try {
            Process process = new ProcessBuilder("true").directory(directory.toFile()).start();
            process.getOutputStream().close();
            process.getInputStream().readAllBytes();
            process.getErrorStream().readAllBytes();
            process.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
