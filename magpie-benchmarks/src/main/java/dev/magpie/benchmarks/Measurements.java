package dev.magpie.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Timings of one operation, in nanoseconds; reports the median. */
final class Measurements {

    private final String label;
    private final List<Long> nanos = new ArrayList<>();

    Measurements(String label) {
        this.label = label;
    }

    /** Runs the operation once and records how long it took. */
    void time(Runnable operation) {
        long start = System.nanoTime();
        operation.run();
        nanos.add(System.nanoTime() - start);
    }

    double medianMillis() {
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
        return median / 1_000_000.0;
    }

    String line(Measurements baseline) {
        String ratio = baseline == null ? "" : String.format(Locale.ROOT, "  %5.2fx %s", medianMillis()
                / baseline.medianMillis(), baseline.label);
        return String.format(Locale.ROOT, "  %-44s median %9.3f ms  (n=%d)%s", label, medianMillis(), nanos.size(),
                ratio);
    }
}
