package dev.magpie.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.sandbox.internal.JvmIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TempDirsTest {

    @TempDir
    Path root;

    @Test
    void sweepsDirectoriesOfDeadOrReusedPidsButNeverOfLiveOwners() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        long deadPid = finished.pid();
        Process alive = new ProcessBuilder("sleep", "30").start();
        try {
            long aliveStart = JvmIdentity.startMillis(alive.toHandle()).orElseThrow();
            ProcessHandle self = ProcessHandle.current();
            long selfStart = JvmIdentity.startMillis(self).orElseThrow();
            Path dead = dir("magpie-" + deadPid + "-" + (selfStart - 5000) + "-clone-1");
            Path reused = dir("magpie-" + alive.pid() + "-" + (aliveStart - 60_000) + "-clone-2");
            Path live = dir("magpie-" + alive.pid() + "-" + aliveStart + "-clone-3");
            Path mine = dir("magpie-" + self.pid() + "-" + selfStart + "-temp-4");
            Path unrelated = dir("something-else");
            Files.writeString(dead.resolve("file.txt"), "left behind");

            TempDirs dirs = new TempDirs(root);
            assertThat(dirs.sweepStale()).containsExactlyInAnyOrder(dead, reused);
            assertThat(dead).doesNotExist();
            assertThat(reused).doesNotExist();
            assertThat(live).isDirectory();
            assertThat(mine).isDirectory();
            assertThat(unrelated).isDirectory();
        } finally {
            alive.destroyForcibly().waitFor();
        }
    }

    @Test
    void firstCreatedDirectorySweepsAndIsNamedForThisJvm() throws Exception {
        Path stale = dir("magpie-999999999-1-temp-x");
        TempDirs dirs = new TempDirs(root);
        Path created = dirs.create("temp");
        assertThat(stale).doesNotExist();
        assertThat(created.getParent()).isEqualTo(root.toRealPath());
        assertThat(created.getFileName().toString()).startsWith("magpie-" + ProcessHandle.current().pid() + "-"
                + JvmIdentity.startMillis(ProcessHandle.current()).orElseThrow() + "-temp-");
    }

    @Test
    void directoryOfAKilledJvmIsSweptButNotWhileItRuns() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx64m", "-D" + LocalWorkspace.TEMP_ROOT_KEY + "=" + root,
                "-cp", System.getProperty("java.class.path"), TempDirProbe.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()))) {
            Path childDir = Path.of(lines.readLine());
            assertThat(childDir).isDirectory().startsWith(root.toRealPath());
            TempDirs dirs = new TempDirs(root);
            assertThat(dirs.sweepStale()).isEmpty();
            assertThat(childDir).isDirectory();
            child.destroyForcibly().waitFor();
            assertThat(dirs.sweepStale()).containsExactly(childDir);
            assertThat(childDir).doesNotExist();
        } finally {
            child.destroyForcibly();
        }
    }

    private Path dir(String name) throws Exception {
        return Files.createDirectories(root.resolve(name));
    }
}
