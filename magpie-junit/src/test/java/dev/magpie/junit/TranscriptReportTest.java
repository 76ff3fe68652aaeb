package dev.magpie.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.sandbox.Workspace;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A failed test publishes and prints the transcript of its sandboxes, with secrets redacted. */
class TranscriptReportTest {

    private static final String SECRET = "s3cr3t-value-123";

    static class Commands {
        @Test
        void fails(@Sandbox(env = "API_TOKEN=${fixture.token}") Workspace sandbox) {
            sandbox.exec("sh", "-c", "echo built; echo warning >&2; exit 2");
            sandbox.shell("echo token is $API_TOKEN");
            throw new AssertionError("fails on purpose");
        }

        @Test
        void passes(@Sandbox Workspace sandbox) {
            sandbox.shell("echo fine");
        }
    }

    @Test
    void aFailedTestPublishesAndPrintsItsTranscript() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        EngineRun run;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            run = EngineRun.run(Commands.class, "fixture.token", SECRET);
        } finally {
            System.setOut(stdout);
        }

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(1).failed(1));
        assertThat(run.reported(Sandbox.TRANSCRIPT_REPORT_KEY)).singleElement().asString()
                .contains("Transcript of the local sandbox /", "for parameter 0 of method Commands.fails(Workspace)")
                .contains("$ sh -c 'echo built; echo warning >&2; exit 2'", "exit 2 in ", "built", "warning")
                .contains("token is ***")
                .doesNotContain(SECRET, "echo fine");
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("Transcript of the local sandbox", "exit 2 in ").doesNotContain(SECRET);
    }
}
