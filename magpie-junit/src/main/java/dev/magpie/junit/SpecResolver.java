package dev.magpie.junit;

import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.internal.Redactor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns the attributes of a {@link Sandbox} declaration into a {@link WorkspaceSpec}, resolving placeholders. */
final class SpecResolver {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

    private final Settings settings;

    SpecResolver(Settings settings) {
        this.settings = settings;
    }

    /** The spec; a missing placeholder value, a malformed env entry or contradictory attributes are refused. */
    WorkspaceSpec spec(Declaration declaration) {
        Sandbox sandbox = declaration.annotation();
        exclusive(declaration, "path", sandbox.path(), "cloneFrom", sandbox.cloneFrom());
        exclusive(declaration, "path", sandbox.path(), "snapshot", sandbox.snapshot());
        if (!sandbox.ref().isBlank() && sandbox.cloneFrom().isBlank()) {
            throw declaration.invalid("ref '" + sandbox.ref() + "' needs cloneFrom; set cloneFrom or remove ref.");
        }
        WorkspaceSpec.Builder builder = WorkspaceSpec.builder()
                .provider(sandbox.provider())
                .path(resolve(declaration, "path", sandbox.path()))
                .clone(resolve(declaration, "cloneFrom", sandbox.cloneFrom()))
                .ref(resolve(declaration, "ref", sandbox.ref()))
                .snapshot(resolve(declaration, "snapshot", sandbox.snapshot()))
                .workingDir(resolve(declaration, "workingDir", sandbox.workingDir()));
        for (String entry : sandbox.env()) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw declaration.invalid("env entry '" + entry + "' is not NAME=value. Write it as NAME=value.");
            }
            builder.env(entry.substring(0, eq).trim(), resolve(declaration, "env", entry.substring(eq + 1)));
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw declaration.invalid(Redactor.redact(e.getMessage()));
        }
    }

    private static void exclusive(Declaration declaration, String name, String value, String other, String otherValue) {
        if (!value.isBlank() && !otherValue.isBlank()) {
            throw declaration.invalid(name + " and " + other + " exclude each other, but both are set: " + name + " = '"
                    + value + "', " + other + " = '" + Redactor.redact(otherValue) + "'. Keep one of them.");
        }
    }

    private String resolve(Declaration declaration, String attribute, String value) {
        Matcher matcher = PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String key = matcher.group(1).trim();
            if (key.isEmpty()) {
                throw declaration.invalid(attribute + " '" + value + "' has an empty placeholder ${}.");
            }
            String replacement = settings.get(key).orElseThrow(() -> declaration.invalid(attribute + " '" + value
                    + "' needs a value for ${" + key + "}: set the JUnit configuration parameter or system property '"
                    + key + "', or the environment variable " + Settings.environmentName(key) + "."));
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
