package dev.magpie.sandbox;

import dev.magpie.sandbox.internal.Redactor;

/**
 * A configuration key holds a value the library cannot use. Carries the key and the value found; the message
 * also names the environment variable that sets the key and the values expected.
 */
public final class ConfigurationException extends InvalidInputException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String value;

    /**
     * @param key      the configuration key, such as {@code magpie.docker.memory}
     * @param value    the value found
     * @param expected what the key accepts, such as "a size such as 512m or 2g"
     */
    public ConfigurationException(String key, String value, String expected) {
        super(describe(key) + " must be " + expected + ", but was '" + Redactor.redact(value)
                + "'. Change or remove that setting.");
        this.key = key;
        this.value = value;
    }

    private static String describe(String key) {
        return key.equals(Settings.environmentName(key)) ? "Environment variable " + key
                : "Configuration key '" + key + "' (environment variable " + Settings.environmentName(key) + ")";
    }

    public String key() {
        return key;
    }

    public String value() {
        return value;
    }
}
