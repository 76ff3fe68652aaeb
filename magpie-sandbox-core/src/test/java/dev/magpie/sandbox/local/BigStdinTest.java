package dev.magpie.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Big stdin, given as bytes, a file or a stream, reaches a command from a JVM with a 128 MiB heap. */
class BigStdinTest {

    @Test
    void bigStdinFitsInASmallHeap() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (LocalWorkspace workspace = LocalWorkspace.temporary(Map.of())) {
            ExecResult result = workspace.exec(ExecRequest.builder(java, "-Xmx128m", "-cp",
                    System.getProperty("java.class.path"), BigStdinProbe.class.getName())
                    .timeout(Duration.ofMinutes(2)).build());
            assertThat(result.stderr()).isEmpty();
            assertThat(result.stdout()).isEqualTo("bytes=31457280 file=31457280 stream=268435456\n");
        }
    }
}
