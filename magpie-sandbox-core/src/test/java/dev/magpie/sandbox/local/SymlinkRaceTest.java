package dev.magpie.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.TreeDeleter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process of the workspace that outlives its command (a {@code setsid} daemon with a cleared environment, so
 * destroy cannot tell it is the workspace's) swaps directories for symlinks to an outside directory while the
 * library works on them. Nothing outside may be deleted, written or read, however the swaps fall.
 */
class SymlinkRaceTest {

    private static final int OUTSIDE_FILES = 50;

    @TempDir
    Path base;

    Path outside;
    final List<Long> daemons = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        outside = Files.createDirectories(base.resolve("outside"));
        for (int i = 0; i < OUTSIDE_FILES; i++) {
            Files.writeString(outside.resolve("x" + i), "secret");
        }
    }

    @AfterEach
    void stopDaemons() throws InterruptedException {
        daemons.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        assertThat(Processes.allDead(daemons, Duration.ofSeconds(10))).as("daemons %s stopped", daemons).isTrue();
    }

    @Test
    void destroyNeverDeletesOutsideWhileADaemonSwapsDirectoriesForLinks() throws Exception {
        int rounds = 20;
        int roundsThatLostFiles = 0;
        long filesLost = 0;
        for (int round = 0; round < rounds; round++) {
            LocalWorkspace workspace = LocalWorkspace.temporary(Map.of());
            for (int i = 0; i < 4; i++) {
                // Named like the outside files: a deleter that goes by path deletes those once dN is swapped.
                Path dir = Files.createDirectories(workspace.directory().resolve("d" + i));
                for (int f = 0; f < OUTSIDE_FILES; f++) {
                    Files.writeString(dir.resolve("x" + f), "inside");
                }
                Files.createSymbolicLink(workspace.directory().resolve("d" + i + ".l"), outside);
            }
            // Each dN swaps places with dN.l, a link to outside, in one atomic rename, over and over.
            startDaemon(workspace, "for my $i (0..3) { symlink $out, \"d$i.l\"; swap(\"d$i\", \"d$i.l\") }",
                    workspace.directory().resolve("d0"));
            try {
                workspace.destroy();
            } catch (WorkspaceException e) {
                // The daemon keeps creating entries, so some may be left: only what is outside matters here.
            }
            if (outsideFiles() < OUTSIDE_FILES) {
                roundsThatLostFiles++;
                filesLost += OUTSIDE_FILES - outsideFiles();
                restoreOutside();
            }
            stopDaemons();
            daemons.clear();
            if (Files.exists(workspace.directory())) {
                TreeDeleter.delete(workspace.directory());
            }
        }
        assertThat(roundsThatLostFiles).as("rounds of %d that deleted outside files (%d files)", rounds, filesLost)
                .isZero();
    }

    @Test
    void fileCallsNeverLeaveTheWorkspaceWhileACommandFlipsADirectoryAndALink() throws Exception {
        LocalWorkspace workspace = LocalWorkspace.temporary(Map.of());
        try {
            workspace.writeString("t/.keep", "");
            Files.createSymbolicLink(workspace.directory().resolve("t.l"), outside);
            startDaemon(workspace, "swap('t', 't.l')", workspace.directory().resolve("t"));
            int tries = 3_000;
            int secretsRead = 0;
            for (int i = 0; i < tries; i++) {
                try {
                    workspace.writeString("t/w" + i, "inside");
                } catch (WorkspaceException e) {
                    // refused or raced away: either is fine, as long as nothing lands outside
                }
                try {
                    if (workspace.readString("t/x0").equals("secret")) {
                        secretsRead++;
                    }
                } catch (WorkspaceException e) {
                    // same
                }
            }
            long written;
            try (Stream<Path> files = Files.list(outside)) {
                written = files.filter(p -> !p.getFileName().toString().matches("x\\d+")).count();
            }
            assertThat(new long[] {written, secretsRead})
                    .as("files written outside and outside secrets read, in %d tries of each", tries)
                    .containsOnly(0L);
        } finally {
            stopDaemons();
            workspace.destroy();
        }
    }

    /** {@code swap(a, b)}: renameat2 with RENAME_EXCHANGE, which Perl has no word for. */
    private static final String SWAP = "sub swap { my ($a, $b) = @_;"
            + " syscall((POSIX::uname())[4] eq 'aarch64' ? 276 : 316, -100, $a, -100, $b, 2) } use POSIX; ";

    /**
     * Starts the Perl statements {@code step} in a loop as a detached daemon in the workspace, its environment
     * cleared; {@code $out} holds the outside directory. Perl swaps in microseconds, where a shell would need a
     * process per step. Returns once {@code swapped} was seen both as a link and as a directory.
     */
    private void startDaemon(LocalWorkspace workspace, String step, Path swapped) throws Exception {
        Path pidFile = base.resolve("daemon-" + UUID.randomUUID() + ".pid");
        // It also stops by itself once its pid file is gone, should the test end without killing it.
        String loop = "my $out = shift; my $p = shift; open(my $f, '>', $p) or die; print $f \"$$\\n\"; close($f); "
                + SWAP + "my $n = 0; while (++$n % 1000 || -e $p) { " + step + " }";
        workspace.exec("setsid", "-f", "env", "-i", "perl", "-e", loop, outside.toString(), pidFile.toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) {
            assertThat(System.nanoTime()).as("the daemon wrote its pid within 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
        daemons.add(Long.parseLong(Files.readString(pidFile).strip()));
        boolean seenLink = false;
        boolean seenDirectory = false;
        while (!seenLink || !seenDirectory) {
            assertThat(System.nanoTime()).as("%s was swapped within 10 s", swapped).isLessThan(deadline);
            seenLink |= Files.isSymbolicLink(swapped);
            seenDirectory |= Files.isDirectory(swapped, LinkOption.NOFOLLOW_LINKS);
        }
    }

    private long outsideFiles() throws IOException {
        try (Stream<Path> files = Files.list(outside)) {
            return files.filter(p -> p.getFileName().toString().matches("x\\d+")).count();
        }
    }

    private void restoreOutside() throws IOException {
        for (int i = 0; i < OUTSIDE_FILES; i++) {
            if (!Files.exists(outside.resolve("x" + i))) {
                Files.writeString(outside.resolve("x" + i), "secret");
            }
        }
    }
}
