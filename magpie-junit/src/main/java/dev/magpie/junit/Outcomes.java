package dev.magpie.junit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.opentest4j.TestAbortedException;

/**
 * Whether a test or class failed, counting the failures of its descendants: a class-level sandbox under
 * {@link CleanupMode#ON_SUCCESS} is kept when any test of the class failed. Each context gets a tracker in the
 * store that, when the context closes, marks its parent when it or a descendant failed. An aborted (skipped)
 * test is not a failure.
 */
final class Outcomes {

    private static final Namespace NAMESPACE = Namespace.create(Outcomes.class);
    private static final String TRACKER = "tracker";
    private static final String CHILD_FAILED = "child.failed";

    private Outcomes() {
    }

    /** Installs the tracker of a test or class context; stored first, so it closes after the sandboxes. */
    static void track(ExtensionContext context) {
        context.getParent().filter(parent -> !parent.equals(context.getRoot()))
                .ifPresent(parent -> context.getStore(NAMESPACE).put(TRACKER, new Tracker(context, parent)));
    }

    static boolean failed(ExtensionContext context) {
        return context.getExecutionException().filter(e -> !(e instanceof TestAbortedException)).isPresent()
                || own(context).getOrDefault(CHILD_FAILED, Boolean.class, false);
    }

    /** A store for this context alone: lookups in a context's store also see its ancestors' values. */
    private static ExtensionContext.Store own(ExtensionContext context) {
        return context.getStore(NAMESPACE.append(context.getUniqueId()));
    }

    private record Tracker(ExtensionContext context, ExtensionContext parent) implements AutoCloseable {
        @Override
        public void close() {
            if (failed(context)) {
                own(parent).put(CHILD_FAILED, true);
            }
        }
    }
}
