package dev.magpie.sandbox.daytona;

import dev.magpie.sandbox.InvalidInputException;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.internal.ShellWords;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns an {@link ExecRequest} into the one shell line the toolbox runs: change to the directory, export the
 * variables, run the words quoted, with stdin fed from an inline base64 payload or closed.
 */
final class ShellCommand {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private ShellCommand() {
    }

    static String build(ExecRequest request, String directory, Map<String, String> env) {
        StringBuilder line = new StringBuilder("cd ").append(ShellWords.quote(directory)).append(" && ");
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (!NAME.matcher(e.getKey()).matches()) {
                throw new InvalidInputException("Environment variable name '" + e.getKey()
                        + "' is not valid in a shell; use letters, digits and underscores, not starting with a digit.");
            }
            line.append("export ").append(e.getKey()).append('=').append(ShellWords.quote(e.getValue())).append(" && ");
        }
        String words = ShellWords.join(request.command());
        if (request.stdin().isPresent()) {
            String payload = Base64.getEncoder().encodeToString(request.stdin().get());
            line.append("printf '%s' ").append(ShellWords.quote(payload)).append(" | base64 -d | ").append(words);
        } else {
            line.append(words).append(" < /dev/null");
        }
        return line.toString();
    }
}
