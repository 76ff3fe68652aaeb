package dev.magpie.sandbox;

/**
 * Prepared workspaces: a spec's {@link WorkspaceSpec#prepare() prepare} command (such as {@code npm ci} or
 * {@code make deps}) runs once per distinct prepared state, and every workspace of that spec starts from a copy of
 * the state it left:
 * <ul>
 *   <li>{@code local}: a copy of the prepared directory ({@code cp --reflink=auto -a}: copy-on-write where the file
 *       system offers it);</li>
 *   <li>{@code docker}: a container of the image the prepared container was committed to;</li>
 *   <li>{@code daytona}: a sandbox of the snapshot taken from the prepared sandbox.</li>
 * </ul>
 * Another provider implements it in its own way, or refuses a spec with a preparation in
 * {@link dev.magpie.sandbox.spi.WorkspaceProvider#validate validate}.
 *
 * <p>A prepared state is identified by the preparation command, the source (the clone source and the commit its
 * ref resolves to when the workspace is created, or the content of a {@code path}: names, sizes, modes and
 * modification times), the environment, and the provider's own inputs (the isolation of a local workspace; the
 * image, working directory and network of a container; the snapshot, target and network of a Daytona sandbox). A
 * change to any of them prepares again. A preparation that fails (non-zero exit, timeout) is remembered: every workspace that needs it fails with a
 * {@link PreparationException} carrying its transcript, and it is not run again in this JVM. A failure that is not the
 * command's (the engine, the clone, the snapshot) fails the workspaces waiting for it, and the next one prepares again.
 *
 * <p>Prepared states are removed when the JVM exits, and those of a JVM that was killed are swept by the next run
 * as the provider's other leftovers are. With {@value #KEEP_KEY}{@code =true} they are kept for later runs (which
 * reuse them) instead: local ones as {@code magpie-prepared-<key>} directories under {@code magpie.local.temp-root},
 * Docker ones as images {@code magpie-prepared:<key>} labelled {@code dev.magpie.sandbox.prepared}, Daytona ones as
 * snapshots {@code magpie-prepared-<key>}. Delete them by hand to prepare again:
 * {@code rm -rf <temp-root>/magpie-prepared-*}, {@code docker rmi $(docker images -q magpie-prepared)}, and the
 * Daytona snapshots from the dashboard or {@link dev.magpie.sandbox.daytona.DaytonaSnapshots#delete}.
 */
public final class Preparation {

    /** Whether prepared states outlive the JVM, to be reused by later runs ({@code false} by default). */
    public static final String KEEP_KEY = "magpie.sandbox.prepare.keep";
    /** How long a preparation may run (default {@code 30m}); past it, it fails with its transcript. */
    public static final String TIMEOUT_KEY = "magpie.sandbox.prepare.timeout";

    private Preparation() {
    }
}
