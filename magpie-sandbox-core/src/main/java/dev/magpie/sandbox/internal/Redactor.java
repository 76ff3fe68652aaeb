package dev.magpie.sandbox.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks credentials in text shown to people. It knows these shapes: URL user-info, {@code Authorization} headers
 * (the scheme stays, the credentials go), assignments {@code NAME=value} / {@code name: value} / JSON
 * {@code "name": "value"} whose name looks secret (see {@link #isSecretName(String)}), command-line flags
 * {@code --token value} and {@code --token=value}, a bearer token on its own, private key blocks (also when only
 * their head or tail is shown), and the fixed prefixes of GitHub, AWS, Slack, GitLab, npm, OpenAI-style and
 * Daytona keys. Everything else stays as it is.
 */
public final class Redactor {

    public static final String MASK = "***";

    private static final String VALUE = "(\"(?:[^\"\\\\\\n]|\\\\.)*\"|'[^'\\n]*'|[^\\s,;&\"'}\\]]+)";

    private static final Pattern PRIVATE_KEY = Pattern.compile("(-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----)"
            + "[\\s\\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\\z)");
    /** The tail of a key whose head was cut off: base64 lines right above its END line. */
    private static final Pattern PRIVATE_KEY_TAIL = Pattern.compile(
            "(?m)(?:^[A-Za-z0-9+/=]{16,}\\r?\\n)+(?=-----END [A-Z0-9 ]*PRIVATE KEY)");
    private static final Pattern URL_USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/@\\s]+@");
    private static final Pattern AUTH_HEADER = Pattern.compile(
            "(?i)\\b((?:proxy-)?authorization[\"']?[ \\t]*[:=][ \\t]*[\"']?)"
                    + "(?:(bearer|basic|token|digest|negotiate|ntlm)[ \\t]+)?[^\\s\"',;]+");
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]+)([\"']?[ \\t]*[=:][ \\t]*)" + VALUE);
    private static final Pattern FLAG = Pattern.compile(
            "(?<![A-Za-z0-9_.-])(--?[A-Za-z][A-Za-z0-9_.-]*)([ \\t]+)(?!-)" + VALUE);
    private static final Pattern BEARER = Pattern.compile(
            "\\b((?i:bearer))[ \\t]+(?=[A-Za-z0-9._~+/=-]*[0-9._~+/=-])[A-Za-z0-9._~+/=-]{8,}");
    private static final Pattern KNOWN_TOKENS = Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{20,}"
            + "|github_pat_[A-Za-z0-9_]{20,}|dtn_[A-Za-z0-9]{16,}|(?:AKIA|ASIA)[A-Z0-9]{16}"
            + "|xox[abprs]-[A-Za-z0-9-]{10,}|glpat-[A-Za-z0-9_-]{20,}|npm_[A-Za-z0-9]{36}|sk-[A-Za-z0-9_-]{20,})\\b");

    private static final Pattern CAMEL = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])");
    private static final Pattern SEPARATORS = Pattern.compile("[^A-Za-z0-9]+");
    private static final Set<String> SECRET_WORDS = Set.of("token", "secret", "password", "passwd", "passphrase",
            "pass", "credential", "credentials", "auth", "apikey", "pat");
    /** Words that make a {@code ..._KEY} name secret; a key alone ({@code KEYBOARD}, {@code key: a}) is not. */
    private static final Set<String> KEY_KINDS = Set.of("api", "access", "private", "secret", "ssh", "signing",
            "encryption", "master", "client");
    /** A last word that names something about the secret, not the secret itself: {@code TOKEN_FILE}. */
    private static final Set<String> NOT_THE_VALUE = Set.of("file", "path", "dir", "env", "name", "id", "type",
            "url", "uri", "count", "length", "method", "mode");

    private Redactor() {
    }

    /** The text with every credential shape, and each of the given secret values, replaced by {@value #MASK}. */
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
        out = PRIVATE_KEY.matcher(out).replaceAll(m -> Matcher.quoteReplacement(
                m.group(1) + "\n" + MASK + (m.group(2).isEmpty() ? "" : "\n" + m.group(2))));
        out = PRIVATE_KEY_TAIL.matcher(out).replaceAll(MASK + "\n");
        out = URL_USER_INFO.matcher(out).replaceAll("$1" + MASK + "@");
        out = AUTH_HEADER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(
                m.group(1) + (m.group(2) == null ? "" : m.group(2) + " ") + MASK));
        out = maskValues(ASSIGNMENT, out);
        out = maskValues(FLAG, out);
        out = BEARER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + " " + MASK));
        return KNOWN_TOKENS.matcher(out).replaceAll(MASK);
    }

    /** The text with credential shapes replaced. */
    public static String redact(String text) {
        return redact(text, List.of());
    }

    /**
     * Whether a variable, key or flag name says its value is a credential: one of its words (split at
     * {@code _ . -} and camel case) is token, secret, password, passwd, passphrase, pass, credential(s), auth,
     * apikey or pat, or it has a {@code KEY} word after api, access, private, secret, ssh, signing, encryption,
     * master or client; unless its last word says it names a file, path, id, type and the like.
     */
    public static boolean isSecretName(String name) {
        String[] words = SEPARATORS.split(CAMEL.matcher(name).replaceAll("_").toLowerCase(Locale.ROOT));
        List<String> list = Arrays.stream(words).filter(word -> !word.isEmpty()).toList();
        if (list.isEmpty() || NOT_THE_VALUE.contains(list.get(list.size() - 1))) {
            return false;
        }
        for (int i = 0; i < list.size(); i++) {
            if (SECRET_WORDS.contains(list.get(i))
                    || list.get(i).equals("key") && i > 0 && KEY_KINDS.contains(list.get(i - 1))) {
                return true;
            }
        }
        return false;
    }

    /** Masks group 3 where the name in group 1 looks secret; a quoted value keeps its quotes. */
    private static String maskValues(Pattern pattern, String text) {
        return pattern.matcher(text).replaceAll(m -> {
            if (!isSecretName(m.group(1)) || m.group(3).equals(MASK)) {
                return Matcher.quoteReplacement(m.group(0));
            }
            String value = m.group(3);
            char first = value.charAt(0);
            String masked = first == '"' || first == '\'' ? first + MASK + first : MASK;
            return Matcher.quoteReplacement(m.group(1) + m.group(2) + masked);
        });
    }
}
