package dev.magpie.sandbox.daytona;

import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.internal.JvmIdentity;
import dev.magpie.sandbox.internal.PreparedStates;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prepared Daytona workspaces ({@link dev.magpie.sandbox.Preparation}): a sandbox made as the spec says runs the
 * preparation, a snapshot is taken from it ({@code POST /sandbox/{id}/snapshot}) and awaited, the sandbox is deleted,
 * and every workspace of the spec is a sandbox of that snapshot. The snapshot is named
 * {@code magpie-prepared-<key>-<host>-<pid>-<startMillis>} (the host as a short digest), so that a later run deletes
 * those of a JVM of this host that was killed; it is deleted when the JVM exits. Kept ones are named
 * {@code magpie-prepared-<key>} and reused by later runs. A snapshot that a failed attempt left under the name
 * (taken, but never seen active) is deleted before the next attempt takes it again.
 */
final class PreparedSnapshots {

    private static final String PREFIX = "magpie-prepared-";
    private static final Pattern JVM_NAMED = Pattern.compile(Pattern.quote(PREFIX) + "[0-9a-f]+-([0-9a-f]+)-(\\d+)-(\\d+)");

    private static final PreparedStates<String> STATES = new PreparedStates<>();
    /** The clients that made this JVM's snapshots, by snapshot name: the ones to delete at exit. */
    private static final Map<String, DaytonaClient> MADE = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(PreparedSnapshots::deleteAll, "magpie-prepared-snapshots-cleanup"));
    }

    private PreparedSnapshots() {
    }

    /**
     * The workspace of a spec with a preparation.
     *
     * @param request the sandbox the spec describes, before any preparation
     */
    static DaytonaWorkspace create(WorkspaceSpec spec, Settings settings, DaytonaClient client,
                                   DaytonaCreateRequest request) {
        String key = PreparedStates.key(request.env(), "daytona", spec.prepare().orElseThrow(),
                client.config().apiUrl(), request.snapshot().orElse(""), request.target().orElse(""),
                spec.workingDir().orElse(""), String.valueOf(request.toJson().get("networkBlockAll")));
        String snapshot = STATES.get(key, () -> prepare(spec, settings, client, request, key));
        return DaytonaWorkspace.create(client, request.newBuilder().snapshot(snapshot).build(),
                spec.workingDir().orElse(null));
    }

    private static String prepare(WorkspaceSpec spec, Settings settings, DaytonaClient client,
                                  DaytonaCreateRequest request, String key) {
        boolean keep = PreparedStates.keep(settings);
        JvmIdentity self = JvmIdentity.current();
        String name = keep ? PREFIX + key : PREFIX + key + "-" + hostDigest(self.host()) + "-" + self.pid() + "-"
                + self.startMillis();
        DaytonaSnapshots snapshots = DaytonaSnapshots.of(client);
        Optional<String> earlier = snapshots.state(name);
        if (keep && earlier.filter("active"::equals).isPresent()) {
            return name; // prepared by an earlier run
        }
        // Left by a failed attempt (this JVM's name, or a kept one that failed): taking it again would collide.
        // A kept one still being made may be another JVM's, which this one must not delete.
        if (earlier.filter(state -> !keep || DaytonaSnapshots.failed(state)).isPresent()) {
            snapshots.delete(name);
        }
        try (DaytonaWorkspace workspace = DaytonaWorkspace.create(client, request, spec.workingDir().orElse(null))) {
            PreparedStates.run(workspace, spec.prepare().orElseThrow(), settings, "Daytona sandbox of snapshot '"
                    + request.snapshot().orElse("(default)") + "'");
            if (!keep) {
                MADE.put(name, client); // from here on the snapshot may exist
            }
            snapshots.take(workspace.id(), name);
            snapshots.awaitActive(name, client.config().startTimeout());
        }
        return name;
    }

    private static void deleteAll() {
        STATES.clear();
        MADE.forEach((name, client) -> {
            try {
                DaytonaSnapshots.of(client).delete(name);
            } catch (RuntimeException e) {
                // The next run's sweep deletes it.
            }
        });
    }

    /** Deletes the prepared snapshots of JVMs of this host that are gone; returns their names. */
    static List<String> sweep(DaytonaClient client) {
        JvmIdentity self = JvmIdentity.current();
        DaytonaSnapshots snapshots = DaytonaSnapshots.of(client);
        List<String> deleted = new ArrayList<>();
        for (String name : snapshots.names()) {
            Matcher m = JVM_NAMED.matcher(name);
            if (m.matches() && m.group(1).equals(hostDigest(self.host()))) {
                JvmIdentity owner = new JvmIdentity(self.host(), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)));
                if (!owner.equals(self) && !owner.isAlive()) {
                    snapshots.delete(name);
                    deleted.add(name);
                }
            }
        }
        return deleted;
    }

    /** A host name as a snapshot name may hold it. */
    static String hostDigest(String host) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(host.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
