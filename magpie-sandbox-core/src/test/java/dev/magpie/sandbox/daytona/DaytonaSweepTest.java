package dev.magpie.sandbox.daytona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspaces;
import dev.magpie.sandbox.internal.JvmIdentity;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sweep deletes only this library's old sandboxes of one owner. */
class DaytonaSweepTest {

    @RegisterExtension
    static final LocalDaytona DAYTONA = new LocalDaytona(Duration.ZERO);

    @Test
    void deletesTheOwnersOldSandboxesOnly() throws Exception {
        DaytonaClient mine = DAYTONA.client();
        DaytonaClient theirs = DaytonaClient.of(DAYTONA.config().newBuilder().owner("someone-else").build());
        DaytonaSandbox oldSandbox = mine.create(DaytonaCreateRequest.builder().build());
        String old = oldSandbox.id();
        String other = theirs.create(DaytonaCreateRequest.builder().build()).id();
        String unmanaged = createWithoutTheLibrary();
        // The server stamps creation times in milliseconds from this JVM's clock: the next one must come later.
        Instant oldAt = oldSandbox.createdAt().orElseThrow();
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (!Instant.now().isAfter(oldAt.plusMillis(2))) {
            if (System.nanoTime() > deadline) {
                fail("The clock did not pass " + oldAt + " + 2 ms within 1 s; it reads " + Instant.now());
            }
            Thread.onSpinWait();
        }
        DaytonaSandbox created = mine.create(DaytonaCreateRequest.builder().build());
        String fresh = created.id();
        // One hour after the fresh sandbox was made, less a millisecond: the cutoff falls between the two.
        Instant now = created.createdAt().orElseThrow().plus(Duration.ofHours(1)).minusMillis(1);

        DaytonaSweep.Result result = DaytonaSweep.of(mine, Clock.fixed(now, ZoneOffset.UTC))
                .run(LocalDaytona.OWNER, Duration.ofHours(1), false);

        assertThat(result.deleted()).containsExactly(old);
        assertThat(result.kept()).containsExactly(fresh);
        assertThat(result.failed()).isEmpty();
        assertThat(DAYTONA.server().sandboxIds()).containsExactlyInAnyOrder(fresh, other, unmanaged);
        mine.delete(fresh);
        theirs.delete(other);
        mine.delete(unmanaged);
    }

    /** A sandbox made by another tool: it has the owner label but not the library's marker. */
    private static String createWithoutTheLibrary() throws Exception {
        return createWithLabels("\"" + DaytonaClient.LABEL_OWNER + "\":\"" + LocalDaytona.OWNER + "\"");
    }

    private static String createWithLabels(String labels) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(DAYTONA.server().baseUrl() + "/sandbox"))
                .header("Authorization", "Bearer " + DAYTONA.server().apiKey())
                .header("X-Daytona-Source", "other-tool").header("X-Daytona-SDK-Version", "0.190.0")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"labels\":{" + labels + "}}")).build();
        String body = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
        return body.replaceAll("^\\{\"id\":\"([^\"]+)\".*$", "$1");
    }

    /** A sandbox of this library and owner, created by the JVM {@code jvm} on {@code host}. */
    private static String createdBy(String host, String jvm) throws Exception {
        return createWithLabels("\"" + DaytonaClient.LABEL_MANAGED + "\":\"true\",\"" + DaytonaClient.LABEL_OWNER
                + "\":\"" + LocalDaytona.OWNER + "\",\"" + DaytonaClient.LABEL_HOST + "\":\"" + host + "\",\""
                + DaytonaClient.LABEL_JVM + "\":\"" + jvm + "\"");
    }

    @Test
    void theProvidersSweepDeletesOnlyTheSandboxesOfEndedJvmsOfThisHost() throws Exception {
        JvmIdentity self = JvmIdentity.current();
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        String ofAnEndedJvm = createdBy(self.host(), ended.pid() + "@" + self.startMillis());
        String ofAnotherHost = createdBy("elsewhere.example", ended.pid() + "@" + self.startMillis());
        String ofThisJvm = DAYTONA.client().create(DaytonaCreateRequest.builder().build()).id();
        Settings settings = Settings.builder().values(Map.of(DaytonaConfig.API_KEY, DAYTONA.server().apiKey(),
                DaytonaConfig.API_URL, DAYTONA.server().baseUrl(), DaytonaConfig.OWNER, LocalDaytona.OWNER))
                .environment(Map.of()).build();

        List<String> swept = Workspaces.provider(ProviderId.DAYTONA).sweep(settings);

        assertThat(swept).containsExactly("sandbox " + ofAnEndedJvm);
        assertThat(DAYTONA.server().sandboxIds()).containsExactlyInAnyOrder(ofAnotherHost, ofThisJvm);
        DAYTONA.client().delete(ofAnotherHost);
        DAYTONA.client().delete(ofThisJvm);
    }

    @Test
    void theCommandSweepsWithTheLibrarysConfiguration() {
        DaytonaClient client = DAYTONA.client();
        String id = client.create(DaytonaCreateRequest.builder().build()).id();
        Settings settings = Settings.builder().values(Map.of(DaytonaConfig.API_KEY, DAYTONA.server().apiKey(),
                DaytonaConfig.API_URL, DAYTONA.server().baseUrl())).environment(Map.of()).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int dry = DaytonaSweep.run(new String[] {"--older-than", "0s", "--owner", LocalDaytona.OWNER, "--dry-run"},
                settings, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true));
        assertThat(dry).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("would delete " + id);
        assertThat(DAYTONA.server().sandboxIds()).contains(id);

        int code = DaytonaSweep.run(new String[] {"--older-than", "0s", "--owner", LocalDaytona.OWNER}, settings,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true));
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("deleted " + id);
        assertThat(DAYTONA.server().sandboxIds()).isEmpty();
    }

    @Test
    void theCommandExplainsBadArguments() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = DaytonaSweep.run(new String[] {"--older-than", "soon"},
                Settings.builder().environment(Map.of("DAYTONA_API_KEY", "k")).build(),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("'soon'").contains("usage");
    }
}
