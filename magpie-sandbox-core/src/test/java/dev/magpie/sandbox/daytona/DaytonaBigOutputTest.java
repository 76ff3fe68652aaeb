package dev.magpie.sandbox.daytona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.local.LocalWorkspace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Output far larger than the heap passes through the Daytona client and the local server: both stream it, and
 * the client keeps the head and tail within the request's limit.
 */
class DaytonaBigOutputTest {

    @Test
    void outputLargerThanTheHeapFitsWithinTheOutputLimit() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (LocalWorkspace workspace = LocalWorkspace.temporary(Map.of())) {
            ExecResult result = workspace.exec(ExecRequest.builder(java, "-Xmx128m", "-cp",
                    System.getProperty("java.class.path"), DaytonaBigOutputProbe.class.getName())
                    .timeout(Duration.ofMinutes(5)).build());
            assertThat(result.stderr()).doesNotContain("OutOfMemoryError");
            // Each stream keeps 4 MiB (the default limit) plus the truncation marker.
            assertThat(result.stdout()).as(result.stderr()).matches("exit=0 truncated=true stdout=4194[34]\\d\\d "
                    + "stderr=4194[34]\\d\\d head=xxx tail=yyy listenedExit=0 listenedTruncated=true lines=\\d+ "
                    + "maxHeapMiB=1[0-2]\\d\n");
        }
    }
}
