package dev.magpie.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JVM that ends with full warm pools leaves nothing; one that is killed leaves what the next run sweeps. */
class PoolExitTest {

    @TempDir
    Path root;

    @Test
    void aJvmThatEndsWithoutDrainingLeavesNoPooledDirectory() throws Exception {
        Process child = probe("exit");
        try {
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the probe ended").isTrue();
            assertThat(child.exitValue()).isZero();
            assertThat(owned(child)).isEmpty();
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void thePooledDirectoriesOfAKilledJvmAreSweptByTheNextRun() throws Exception {
        Process child = probe("wait");
        try {
            assertThat(owned(child)).hasSize(3);
            child.destroyForcibly().waitFor();

            new TempDirs(root).sweepStale();

            assertThat(owned(child)).isEmpty();
        } finally {
            child.destroyForcibly();
        }
    }

    /** Starts the probe and waits until its pool is full. */
    private Process probe(String mode) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx64m", "-D" + LocalWorkspace.TEMP_ROOT_KEY + "=" + root, "-cp",
                System.getProperty("java.class.path"), PoolExitProbe.class.getName(), mode)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream()));
        assertThat(lines.readLine()).as("the probe's pool filled").isEqualTo("ready");
        return child;
    }

    /** The temporary directories named for the child JVM. */
    private List<Path> owned(Process child) throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("magpie-" + child.pid() + "-")).toList();
        }
    }
}
