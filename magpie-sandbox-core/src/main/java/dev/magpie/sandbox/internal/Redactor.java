package dev.magpie.sandbox.internal;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Masks credentials in text shown to people: URL user-info, secret-looking assignments, bearer tokens. */
public final class Redactor {

    public static final String MASK = "***";

    private static final Pattern URL_USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/@\\s]+@");
    private static final Pattern SECRET_ASSIGNMENT = Pattern.compile(
            "(?i)\\b([A-Z0-9_.-]*(?:TOKEN|SECRET|PASSWORD|PASSWD|PASS|API[_-]?KEY|ACCESS[_-]?KEY|PRIVATE[_-]?KEY|CREDENTIALS?|AUTH)[A-Z0-9_.-]*)(\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s,;&]+)");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(Bearer|token)\\s+[A-Za-z0-9._~+/=-]{8,}");
    private static final Pattern KNOWN_TOKENS = Pattern.compile(
            "\\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|dtn_[A-Za-z0-9]{16,}|AKIA[A-Z0-9]{16})\\b");

    private Redactor() {
    }

    /** The text with every credential pattern, and each of the given secret values, replaced by {@value #MASK}. */
    public static String redact(String text, List<String> secrets) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                out = out.replace(secret, MASK);
            }
        }
        out = URL_USER_INFO.matcher(out).replaceAll("$1" + MASK + "@");
        out = SECRET_ASSIGNMENT.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
        out = BEARER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + " " + MASK));
        return KNOWN_TOKENS.matcher(out).replaceAll(MASK);
    }

    /** Whether an environment variable or key of this name holds a credential, by the rules that mask it. */
    public static boolean looksSecret(String name) {
        String probe = name + "=probe-value";
        return !redact(probe).equals(probe);
    }

    /** The text with credential patterns replaced. */
    public static String redact(String text) {
        return redact(text, List.of());
    }
}
