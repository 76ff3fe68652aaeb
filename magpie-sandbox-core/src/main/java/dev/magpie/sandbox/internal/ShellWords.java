package dev.magpie.sandbox.internal;

import java.util.List;
import java.util.stream.Collectors;

/** Quotes words for a POSIX shell: for command lines that a shell runs, and for showing commands to people. */
public final class ShellWords {

    private ShellWords() {
    }

    /** The word as is when no shell would change it, otherwise in single quotes. */
    public static String quote(String word) {
        if (!word.isEmpty() && word.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./=:,@%+".indexOf(c) >= 0)) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** The words quoted and joined by spaces. */
    public static String join(List<String> words) {
        return words.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
    }
}
