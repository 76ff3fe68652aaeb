package dev.magpie.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a local command inherits of the JVM's environment: the allow list only, secrets masked in any case. */
class LocalEnvironmentTest {

    private static final String KEY = "dtn_" + "0123456789abcdef0123456789abcdef";
    private static final String ECHO = "echo \"key=[$DAYTONA_API_KEY] other=[$MAGPIE_PROBE_OTHER] "
            + "home=[$HOME] given=[$GIVEN]\"";

    @Test
    void aCommandDoesNotInheritTheApiKeyOrAnythingOutsideTheAllowList() throws Exception {
        String printed = probe(List.of(), ECHO);

        assertThat(printed).doesNotContain(KEY).doesNotContain("other-value")
                .contains("key=[] other=[] home=[" + System.getenv("HOME") + "] given=[given-value]");
    }

    @Test
    void theAllowListIsConfigurable() throws Exception {
        String printed = probe(List.of("-Dmagpie.local.inherit-env=MAGPIE_PROBE_*, PATH"), ECHO);

        assertThat(printed).contains("key=[] other=[other-value] home=[] given=[given-value]");
    }

    @Test
    void anInheritedSecretIsMaskedInTheTranscript() throws Exception {
        String printed = probe(List.of("-Dmagpie.local.inherit-env=PATH,DAYTONA_API_KEY"), "echo \"key is $DAYTONA_API_KEY\"");

        // The command asked for it and gets it; the transcript never shows it.
        assertThat(printed).contains("stdout: key is " + KEY).contains("transcript: $ sh -c")
                .contains("    key is ***");
        assertThat(printed.substring(printed.indexOf("transcript:"))).doesNotContain(KEY);
    }

    /** Runs {@link EnvProbe} in a JVM whose environment holds the API key and another variable. */
    private static String probe(List<String> jvmOptions, String script) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), EnvProbe.class.getName(), script));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("DAYTONA_API_KEY", KEY);
        env.put("MAGPIE_PROBE_OTHER", "other-value");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("probe finished: %s", out).isTrue();
        assertThat(process.exitValue()).as("probe exit: %s", out).isZero();
        return out;
    }
}
