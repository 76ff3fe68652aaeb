package dev.magpie.sandbox.docker;

import dev.magpie.sandbox.internal.JvmIdentity;
import java.util.LinkedHashMap;
import java.util.Map;

/** The labels every container of this library carries, so that a later run can find and judge it. */
final class ContainerLabels {

    /** Marks a container as made by this library. */
    static final String OWNER = "dev.magpie.sandbox.owner";
    static final String OWNER_VALUE = "magpie-sandboxes";
    /** The host of the JVM that made the container. */
    static final String HOST = "dev.magpie.sandbox.host";
    /** The JVM that made the container: {@code pid@startMillis}. */
    static final String JVM = "dev.magpie.sandbox.jvm";

    private ContainerLabels() {
    }

    /** The user's labels, then the ownership labels, which a user label cannot replace. */
    static Map<String, String> of(Map<String, String> userLabels, JvmIdentity owner) {
        Map<String, String> labels = new LinkedHashMap<>(userLabels);
        labels.put(OWNER, OWNER_VALUE);
        labels.put(HOST, owner.host());
        labels.put(JVM, owner.label());
        return labels;
    }

    static boolean isReserved(String key) {
        return key.equals(OWNER) || key.equals(HOST) || key.equals(JVM);
    }
}
