package dev.magpie.sandbox.daytona;

/**
 * Splits the merged session output of older daemons, where each chunk starts with a 3-byte marker:
 * {@code \x01\x01\x01} for stdout, {@code \x02\x02\x02} for stderr.
 */
final class OutputMarkers {

    private static final String STDOUT = "\u0001\u0001\u0001";
    private static final String STDERR = "\u0002\u0002\u0002";

    private OutputMarkers() {
    }

    static DaytonaToolbox.Logs split(String merged) {
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        StringBuilder plain = new StringBuilder();
        StringBuilder current = out;
        int i = 0;
        while (i < merged.length()) {
            if (merged.startsWith(STDOUT, i)) {
                current = out;
                i += 3;
            } else if (merged.startsWith(STDERR, i)) {
                current = err;
                i += 3;
            } else {
                current.append(merged.charAt(i));
                plain.append(merged.charAt(i));
                i++;
            }
        }
        return new DaytonaToolbox.Logs(out.toString(), err.toString(), plain.toString());
    }
}
