package dev.magpie.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The documented lookup order (sources, then system properties, then the environment) and value parsing. */
class SettingsTest {

    @Test
    void sourcesComeFirstInOrderThenSystemPropertiesThenTheEnvironment() {
        String key = "magpie.settings-test." + UUID.randomUUID();
        String variable = Settings.environmentName(key);
        Map<String, String> environment = Map.of(variable, "from env");
        System.setProperty(key, "from property");
        try {
            assertThat(Settings.builder().values(Map.of(key, "first")).source(k -> Optional.of("second"))
                    .environment(environment).build().get(key)).contains("first");
            assertThat(Settings.builder().values(Map.of(key, "  ")).source(k -> Optional.of(" second "))
                    .environment(environment).build().get(key)).contains("second");
            assertThat(Settings.builder().environment(environment).build().get(key)).contains("from property");
            System.clearProperty(key);
            assertThat(Settings.builder().environment(environment).build().get(key)).contains("from env");
            assertThat(Settings.builder().environment(Map.of()).build().get(key, "default")).isEqualTo("default");
        } finally {
            System.clearProperty(key);
        }
    }

    @Test
    void environmentNamesAreUpperCaseWithUnderscores() {
        assertThat(Settings.environmentName("magpie.docker.clone-mode")).isEqualTo("MAGPIE_DOCKER_CLONE_MODE");
    }

    @Test
    void durationsAndBooleansParseAndBadValuesNameTheKeyAndTheValue() {
        Settings settings = Settings.builder().environment(Map.of()).values(Map.of("a.ms", "500ms", "a.s", "30s",
                "a.m", "5m", "a.h", "2h", "a.iso", "PT1.5S", "a.bool", "TRUE", "a.bad", "soon")).build();

        assertThat(settings.getDuration("a.ms", Duration.ZERO)).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.getDuration("a.s", Duration.ZERO)).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.getDuration("a.m", Duration.ZERO)).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.getDuration("a.h", Duration.ZERO)).isEqualTo(Duration.ofHours(2));
        assertThat(settings.getDuration("a.iso", Duration.ZERO)).isEqualTo(Duration.ofMillis(1500));
        assertThat(settings.getDuration("a.absent", Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
        assertThat(settings.getBoolean("a.bool", false)).isTrue();
        assertThatThrownBy(() -> settings.getDuration("a.bad", Duration.ZERO)).isInstanceOf(WorkspaceException.class)
                .hasMessageContaining("'a.bad'").hasMessageContaining("A_BAD").hasMessageContaining("'soon'");
        assertThatThrownBy(() -> settings.getBoolean("a.bad", false)).isInstanceOf(WorkspaceException.class)
                .hasMessageContaining("true or false").hasMessageContaining("'soon'");
    }
}
