package dev.magpie.daytona.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** The armed faults of one server; each is consumed by the requests (or sandboxes) it applies to. Thread-safe. */
final class Faults {

    private static final class Armed {
        final Fault fault;
        int remaining;

        Armed(Fault fault) {
            this.fault = fault;
            this.remaining = fault.times();
        }
    }

    private final List<Armed> armed = new ArrayList<>();

    synchronized void add(Fault fault) {
        armed.add(new Armed(fault));
    }

    synchronized void clear() {
        armed.clear();
    }

    synchronized List<Fault> pending() {
        List<Fault> out = new ArrayList<>();
        armed.forEach(a -> out.add(a.fault.times(a.remaining)));
        return out;
    }

    /** Consumes the first fault that applies to this request, delays aside. */
    synchronized Optional<Fault> take(String method, String path, String bucket) {
        return consume(a -> a.fault.kind() != Fault.Kind.DELAY && a.fault.matches(method, path, bucket));
    }

    /** The delay this request waits: the sum of the delay faults that apply to it, each used once more. */
    synchronized Duration delay(String method, String path, String bucket) {
        Duration total = Duration.ZERO;
        for (Iterator<Armed> it = armed.iterator(); it.hasNext(); ) {
            Armed a = it.next();
            if (a.fault.kind() == Fault.Kind.DELAY && a.fault.matches(method, path, bucket)) {
                total = total.plus(a.fault.delay());
                if (--a.remaining == 0) {
                    it.remove();
                }
            }
        }
        return total;
    }

    /** Consumes a start error for a sandbox being created. */
    synchronized Optional<Fault> takeStartError() {
        return consume(a -> a.fault.kind() == Fault.Kind.START_ERROR);
    }

    private Optional<Fault> consume(java.util.function.Predicate<Armed> applies) {
        for (Iterator<Armed> it = armed.iterator(); it.hasNext(); ) {
            Armed a = it.next();
            if (applies.test(a)) {
                if (--a.remaining == 0) {
                    it.remove();
                }
                return Optional.of(a.fault);
            }
        }
        return Optional.empty();
    }
}
