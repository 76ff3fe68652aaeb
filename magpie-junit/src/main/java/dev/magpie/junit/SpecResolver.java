package dev.magpie.junit;

import dev.magpie.sandbox.InvalidInputException;
import dev.magpie.sandbox.Isolation;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.WorkspaceSpec;
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
        String provider = resolve(declaration, "provider", sandbox.provider());
        String isolation = resolve(declaration, "isolation", sandbox.isolation());
        try {
            WorkspaceSpec.Builder builder = WorkspaceSpec.builder()
                    .provider(provider.isBlank() ? null : ProviderId.of(provider))
                    .path(resolve(declaration, "path", sandbox.path()))
                    .cloneFrom(resolve(declaration, "cloneFrom", sandbox.cloneFrom()))
                    .ref(resolve(declaration, "ref", sandbox.ref()))
                    .snapshot(resolve(declaration, "snapshot", sandbox.snapshot()))
                    .workingDir(resolve(declaration, "workingDir", sandbox.workingDir()))
                    .isolation(isolation.isBlank() ? null : Isolation.of(isolation))
                    .prepare(resolve(declaration, "prepare", sandbox.prepare()));
            for (String entry : sandbox.env()) {
                int eq = entry.indexOf('=');
                if (eq <= 0) {
                    throw declaration.invalid("env entry '" + entry.replaceAll("=.*", "=...")
                            + "' is not NAME=value. Write it as NAME=value.");
                }
                builder.env(entry.substring(0, eq).trim(), resolve(declaration, "env", entry.substring(eq + 1)));
            }
            return builder.build();
        } catch (InvalidInputException e) {
            throw declaration.invalid(e.getMessage());
        }
    }

    /** The declaration's pool size, placeholders resolved; empty when it follows the configuration. */
    String pool(Declaration declaration) {
        return resolve(declaration, "pool", declaration.annotation().pool()).trim();
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
