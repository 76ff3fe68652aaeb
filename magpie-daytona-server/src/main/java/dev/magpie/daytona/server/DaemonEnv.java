package dev.magpie.daytona.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What {@code POST /env} changed in a sandbox's process environment: variables set, and variables removed. Every
 * command started after a change gets it, as the daemon's newly spawned processes inherit its environment; running
 * ones keep theirs. Thread-safe.
 */
final class DaemonEnv {

    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** A name to its value, or to null when it is removed; in the order of the changes. */
    private final Map<String, String> changes = new LinkedHashMap<>();

    /**
     * Applies an {@code UpdateEnvRequest}: {@code unset} first, then {@code set}.
     *
     * @return the variables set by this and earlier changes
     * @throws Call.BadRequest for a name a shell cannot hold, or {@code unsetValuePrefix}, which this server does
     *                         not apply
     */
    synchronized Map<String, String> update(JsonNode request) {
        if (request.hasNonNull("unsetValuePrefix")) {
            throw new Call.BadRequest("unsetValuePrefix is not supported by this server; name the variables in unset");
        }
        List<String> unset = new ArrayList<>();
        request.path("unset").forEach(n -> unset.add(checked(n.asText())));
        Map<String, String> set = new LinkedHashMap<>();
        request.path("set").fields().forEachRemaining(e -> set.put(checked(e.getKey()), value(e.getValue().asText())));
        unset.forEach(name -> {
            changes.remove(name);
            changes.put(name, null);
        });
        set.forEach((name, value) -> {
            changes.remove(name);
            changes.put(name, value);
        });
        Map<String, String> current = new TreeMap<>();
        changes.forEach((name, value) -> {
            if (value != null) {
                current.put(name, value);
            }
        });
        return current;
    }

    /**
     * The changes a command gets, in the order they were made: a name to its value, or to null when it is removed.
     * A variable the request itself passes keeps the request's value, so it is left out. Runtimes hand these to
     * the command's process environment (or a file only the server's user reads), never on a command line.
     */
    synchronized Map<String, String> changes(Set<String> passed) {
        Map<String, String> out = new LinkedHashMap<>();
        changes.forEach((name, value) -> {
            if (!passed.contains(name)) {
                out.put(name, value);
            }
        });
        return out;
    }

    /** Makes the {@link #changes} in a process environment: sets the variables set, removes those removed. */
    void applyTo(Map<String, String> environment, Set<String> passed) {
        changes(passed).forEach((name, value) -> {
            if (value == null) {
                environment.remove(name);
            } else {
                environment.put(name, value);
            }
        });
    }

    /** A shell line that exports the variable, its value quoted so that the shell takes it as it is. */
    static String export(String name, String value) {
        return "export " + name + "='" + value.replace("'", "'\\''") + "'";
    }

    /** The value; refused when it holds a NUL, which no environment can carry. */
    private static String value(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new Call.BadRequest("an environment variable's value cannot hold a NUL character");
        }
        return value;
    }

    /**
     * Checks every variable a command gets before any runtime starts it: a name a shell can set, and a value without
     * NUL, which would end it early in an environment and split it into options of their own in bwrap's options.
     */
    static void check(Map<String, String> env) throws java.io.IOException {
        for (Map.Entry<String, String> variable : env.entrySet()) {
            if (!NAME.matcher(variable.getKey()).matches()) {
                throw new java.io.IOException("'" + variable.getKey() + "' is not a variable name a shell can set;"
                        + " use letters, digits and underscores, not starting with a digit");
            }
            if (variable.getValue().indexOf('\0') >= 0) {
                throw new java.io.IOException("the value of " + variable.getKey() + " holds a NUL character, which"
                        + " no environment can carry; remove it");
            }
        }
    }

    private static String checked(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new Call.BadRequest("'" + name + "' is not an environment variable name: use letters, digits and "
                    + "underscores, not starting with a digit");
        }
        return name;
    }
}
