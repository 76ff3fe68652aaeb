package dev.magpie.sandbox.daytona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.magpie.sandbox.ConfigurationException;
import dev.magpie.sandbox.InvalidInputException;
import dev.magpie.sandbox.NetworkPolicy;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.ProviderUnavailableException;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.Workspaces;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Where the Daytona configuration comes from, and how {@link Workspaces} uses it. */
class DaytonaConfigTest {

    @RegisterExtension
    static final LocalDaytona DAYTONA = new LocalDaytona(Duration.ZERO);

    private static Settings settings(Map<String, String> values, Map<String, String> env) {
        return Settings.builder().values(values).environment(env).build();
    }

    @Test
    void readsTheOfficialEnvironmentVariables() {
        DaytonaConfig config = DaytonaConfig.fromSettings(settings(Map.of(), Map.of("DAYTONA_API_KEY", "k-env",
                "DAYTONA_API_URL", "https://eu.example.test/api/", "DAYTONA_ORGANIZATION_ID", "org-1",
                "DAYTONA_TARGET", "eu")));

        assertThat(config.apiKey()).isEqualTo("k-env");
        assertThat(config.apiUrl()).isEqualTo("https://eu.example.test/api");
        assertThat(config.organizationId()).contains("org-1");
        assertThat(config.target()).contains("eu");
        assertThat(config.startTimeout()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void theLibraryKeysWinAndTheBaseUrlOfTheOriginalIsAccepted() {
        DaytonaConfig config = DaytonaConfig.fromSettings(settings(
                Map.of(DaytonaConfig.API_KEY, "k-key", DaytonaConfig.START_TIMEOUT, "90s"),
                Map.of("DAYTONA_API_KEY", "k-env", "DAYTONA_BASE_URL", "http://localhost:3000/api")));

        assertThat(config.apiKey()).isEqualTo("k-key");
        assertThat(config.apiUrl()).isEqualTo("http://localhost:3000/api");
        assertThat(config.startTimeout()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void defaultsToTheHostedApi() {
        DaytonaConfig config = DaytonaConfig.fromSettings(settings(Map.of(), Map.of("DAYTONA_API_KEY", "k")));
        assertThat(config.apiUrl()).isEqualTo(DaytonaConfig.DEFAULT_API_URL);
        assertThat(config.organizationId()).isEmpty();
    }

    @Test
    void neverShowsTheKey() {
        DaytonaConfig config = DaytonaConfig.builder().apiKey("dtn_secret_0123456789").build();
        assertThat(config.toString()).doesNotContain("dtn_secret_0123456789").contains("apiKey=***");
        assertThat(DaytonaClient.of(config).toString()).doesNotContain("dtn_secret_0123456789");
    }

    @Test
    void refusesAMissingKeyAndABadUrlSayingWhatToDo() {
        assertThatThrownBy(() -> DaytonaConfig.fromSettings(settings(Map.of(), Map.of())))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("DAYTONA_API_KEY");
        assertThatThrownBy(() -> DaytonaConfig.builder().apiKey("k").apiUrl("app.daytona.io").build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'app.daytona.io'");
    }

    @Test
    void workspacesWithoutAKeyReportTheProviderUnavailable() {
        WorkspaceSpec spec = WorkspaceSpec.builder().provider(ProviderId.DAYTONA).snapshot("any").build();

        assertThatThrownBy(() -> Workspaces.create(spec, settings(Map.of(), Map.of())))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("daytona").hasMessageContaining("DAYTONA_API_KEY");
    }

    @Test
    void workspacesCreateADaytonaWorkspaceFromTheSettings() {
        Settings settings = settings(Map.of(DaytonaConfig.API_KEY, DAYTONA.server().apiKey(),
                DaytonaConfig.API_URL, DAYTONA.server().baseUrl()), Map.of());
        WorkspaceSpec spec = WorkspaceSpec.builder().provider(ProviderId.DAYTONA).snapshot(LocalDaytona.GIT_SNAPSHOT)
                .workingDir("widgets").env("STAGE", "test").build();

        try (Workspace ws = Workspaces.create(spec, settings)) {
            assertThat(ws.provider()).isEqualTo(ProviderId.DAYTONA);
            assertThat(ws.workingDir()).endsWith("/widgets");
            assertThat(ws.shell("echo $STAGE; cat README.md").stdout()).isEqualTo("test\nwidgets\n");
        }
        assertThat(DAYTONA.server().sandboxIds()).isEmpty();
    }

    @Test
    void theSharedNetworkPolicyNoneBlocksAllTrafficOfTheSandbox() {
        Settings settings = settings(Map.of(DaytonaConfig.API_KEY, DAYTONA.server().apiKey(),
                DaytonaConfig.API_URL, DAYTONA.server().baseUrl(), NetworkPolicy.KEY, "none"), Map.of());
        WorkspaceSpec spec = WorkspaceSpec.builder().provider(ProviderId.DAYTONA).snapshot(LocalDaytona.GIT_SNAPSHOT)
                .build();

        try (Workspace ws = Workspaces.create(spec, settings)) {
            assertThat(ws.provider()).isEqualTo(ProviderId.DAYTONA);
        }
        assertThat(DAYTONA.exchanges("POST", "/api/sandbox").get(0).requestText()).contains("\"networkBlockAll\":true");
        assertThatThrownBy(() -> Workspaces.create(spec, settings(Map.of(DaytonaConfig.API_KEY, "k",
                NetworkPolicy.KEY, "bridge"), Map.of()))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(NetworkPolicy.KEY).hasMessageContaining("'bridge'");
    }

    @Test
    void theOriginalsVariablesAddSnapshotEnvAndVolume() {
        Settings settings = settings(Map.of(), Map.of("DAYTONA_API_KEY", DAYTONA.server().apiKey(),
                "DAYTONA_BASE_URL", DAYTONA.server().baseUrl(), "DAYTONA_SNAPSHOT_NAME", LocalDaytona.GIT_SNAPSHOT,
                "DAYTONA_ENV", "A=1,B=x=y", "DAYTONA_VOLUME_ID", "vol-1", "DAYTONA_VOLUME_MOUNT_PATH", "/data"));
        WorkspaceSpec spec = WorkspaceSpec.builder().provider(ProviderId.DAYTONA).env("B", "spec").build();

        try (Workspace ws = Workspaces.create(spec, settings)) {
            assertThat(ws.shell("echo $A $B; ls").stdout()).isEqualTo("1 spec\nwidgets\n");
        }
        String body = DAYTONA.exchanges("POST", "/api/sandbox").get(0).requestText();
        assertThat(body).contains("\"snapshot\":\"" + LocalDaytona.GIT_SNAPSHOT + "\"")
                .contains("{\"volumeId\":\"vol-1\",\"mountPath\":\"/data\"}");
        assertThatThrownBy(() -> Workspaces.create(spec, settings(Map.of(), Map.of("DAYTONA_API_KEY", "k",
                "DAYTONA_ENV", "A=1,oops"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("entry 2 is not");
        // A value with a comma splits into an entry that is a piece of the value: it is never echoed.
        assertThatThrownBy(() -> Workspaces.create(spec, settings(Map.of(), Map.of("DAYTONA_API_KEY", "k",
                "DAYTONA_ENV", "TOKEN=s3cret,tail-of-s3cret"))))
                .isInstanceOf(ConfigurationException.class).hasMessageNotContaining("tail-of-s3cret")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void autoSendsASnapshotToDaytonaWhenAKeyIsInTheEnvironment() {
        WorkspaceSpec spec = WorkspaceSpec.builder().snapshot("x").build();
        assertThat(Workspaces.resolve(spec, settings(Map.of(), Map.of("DAYTONA_API_KEY", "k"))))
                .isEqualTo(ProviderId.DAYTONA);
    }
}
