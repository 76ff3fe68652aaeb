package dev.magpie.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A command printing 1 GiB on each stream completes in a JVM limited to a 128 MiB heap. */
class BigOutputTest {

    @Test
    void gigabyteOfOutputFitsInASmallHeap() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (LocalWorkspace workspace = LocalWorkspace.temporary(Map.of())) {
            ExecResult result = workspace.exec(ExecRequest.builder(java, "-Xmx128m", "-cp",
                    System.getProperty("java.class.path"), BigOutputProbe.class.getName())
                    .timeout(Duration.ofMinutes(2)).build());
            assertThat(result.stderr()).isEmpty();
            // The default limit of 4 MiB per stream, plus the marker's few dozen characters.
            assertThat(ExecRequest.DEFAULT_OUTPUT_LIMIT).isEqualTo(4_194_304);
            assertThat(result.stdout()).matches(
                    "exit=0 truncated=true stdout=4194[34]\\d\\d stderr=4194[34]\\d\\d maxHeapMiB=1[0-2]\\d tail=xxx\n");
        }
    }
}
