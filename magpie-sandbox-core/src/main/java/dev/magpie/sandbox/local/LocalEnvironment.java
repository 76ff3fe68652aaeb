package dev.magpie.sandbox.local;

import dev.magpie.sandbox.Settings;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment of a local workspace's commands: the variables of this JVM's environment named by the allow list
 * ({@link LocalWorkspace#INHERIT_ENV_KEY}, default {@link #DEFAULT_INHERITED}), then the workspace's own. Nothing
 * else is inherited, so an API key of the test run does not reach a command's output by accident.
 */
final class LocalEnvironment {

    /** What a command inherits unless configured otherwise: enough to find programs, a home, a locale and a JDK. */
    static final List<String> DEFAULT_INHERITED = List.of("PATH", "HOME", "LANG", "LANGUAGE", "LC_*", "TERM", "TZ",
            "USER", "LOGNAME", "SHELL", "TMPDIR", "JAVA_HOME");

    private LocalEnvironment() {
    }

    /** The inherited variables the settings allow, then {@code own} over them. */
    static Map<String, String> of(Settings settings, Map<String, String> own) {
        List<String> allowed = settings.get(LocalWorkspace.INHERIT_ENV_KEY)
                .map(value -> Arrays.stream(value.split("[,\\s]+")).filter(name -> !name.isEmpty()).toList())
                .orElse(DEFAULT_INHERITED);
        Map<String, String> env = new TreeMap<>();
        System.getenv().forEach((name, value) -> {
            if (allowed.stream().anyMatch(pattern -> matches(pattern, name))) {
                env.put(name, value);
            }
        });
        env.putAll(own);
        return env;
    }

    /** A name, or a prefix followed by {@code *}. */
    private static boolean matches(String pattern, String name) {
        return pattern.endsWith("*") ? name.startsWith(pattern.substring(0, pattern.length() - 1))
                : pattern.equals(name);
    }
}
