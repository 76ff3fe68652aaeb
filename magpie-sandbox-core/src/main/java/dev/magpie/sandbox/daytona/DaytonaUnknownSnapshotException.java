package dev.magpie.sandbox.daytona;

/** The snapshot a sandbox was to be created from does not exist in the organization (or region). */
public final class DaytonaUnknownSnapshotException extends DaytonaApiException {

    private static final long serialVersionUID = 1L;

    private final String snapshot;

    public DaytonaUnknownSnapshotException(int status, String body, String snapshot) {
        super(status, body, "Daytona does not know snapshot '" + snapshot + "' (HTTP " + status + "). Check the "
                + "name, build or activate the snapshot in this organization, or set the target region that has it.");
        this.snapshot = snapshot;
    }

    /** The snapshot name as requested. */
    public String snapshot() {
        return snapshot;
    }
}
