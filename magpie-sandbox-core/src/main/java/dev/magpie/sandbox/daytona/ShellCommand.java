package dev.magpie.sandbox.daytona;

import dev.magpie.sandbox.InvalidInputException;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.internal.ShellWords;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns an {@link ExecRequest} into the one shell line the toolbox runs: change to the directory, export the
 * variables, run the words quoted, with stdin read from an uploaded file (unlinked once open) or closed.
 */
final class ShellCommand {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private ShellCommand() {
    }

    /** The line; {@code stdinFile} is the file holding stdin, or null for none. */
    static String build(ExecRequest request, String directory, Map<String, String> env, String stdinFile) {
        StringBuilder line = new StringBuilder();
        if (stdinFile != null) {
            line.append("{ rm -f -- ").append(ShellWords.quote(stdinFile)).append("; ");
        }
        line.append("cd ").append(ShellWords.quote(directory)).append(" && ");
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (!NAME.matcher(e.getKey()).matches()) {
                throw new InvalidInputException("Environment variable name '" + e.getKey()
                        + "' is not valid in a shell; use letters, digits and underscores, not starting with a digit.");
            }
            line.append("export ").append(e.getKey()).append('=').append(ShellWords.quote(e.getValue())).append(" && ");
        }
        String words = ShellWords.join(request.command());
        if (stdinFile != null) {
            line.append(words).append("; } < ").append(ShellWords.quote(stdinFile));
        } else {
            line.append(words).append(" < /dev/null");
        }
        return line.toString();
    }
}
