package dev.magpie.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
            // Each stream is kept to the default limit, plus the marker's few dozen characters.
            Matcher probe = Pattern.compile("exit=0 truncated=true stdout=(\\d+) stderr=(\\d+) maxHeapMiB=1[0-2]\\d"
                    + " tail=xxx\n").matcher(result.stdout());
            assertThat(probe.matches()).as("the probe's report: %s", result.stdout()).isTrue();
            assertThat(List.of(Integer.parseInt(probe.group(1)), Integer.parseInt(probe.group(2))))
                    .as("characters kept of stdout and stderr").allSatisfy(kept -> assertThat(kept)
                            .isBetween(ExecRequest.DEFAULT_OUTPUT_LIMIT, ExecRequest.DEFAULT_OUTPUT_LIMIT + 100));
        }
    }
}
