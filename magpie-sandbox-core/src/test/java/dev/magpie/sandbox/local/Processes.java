package dev.magpie.sandbox.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Test helper: whether processes still run (a zombie nobody reaped counts as dead). */
final class Processes {

    private Processes() {
    }

    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits briefly for every pid to die; true when all did. */
    static boolean allDead(List<Long> pids, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (pids.stream().noneMatch(Processes::running)) {
                return true;
            }
            Thread.sleep(20);
        }
        return pids.stream().noneMatch(Processes::running);
    }

    /** Waits briefly for every process with exactly this command line to die; true when none runs. */
    static boolean noneRunning(Duration within, String... commandLine) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (countRunning(commandLine) > 0) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** How many running processes have exactly this command line. */
    static long countRunning(String... commandLine) throws IOException {
        byte[] wanted = (String.join("\0", commandLine) + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long count = 0;
        try (var entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path entry : entries) {
                try {
                    if (Arrays.equals(Files.readAllBytes(entry.resolve("cmdline")), wanted)
                            && running(Long.parseLong(entry.getFileName().toString()))) {
                        count++;
                    }
                } catch (IOException gone) {
                    // exited meanwhile
                }
            }
        }
        return count;
    }

    /** The pids a script printed, one per line, ignoring other lines. */
    static List<Long> pids(String output) {
        return Arrays.stream(output.split("\n")).filter(l -> l.matches("pid \\d+"))
                .map(l -> Long.parseLong(l.substring(4))).toList();
    }
}
