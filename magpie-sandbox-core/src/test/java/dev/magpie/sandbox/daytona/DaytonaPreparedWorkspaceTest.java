package dev.magpie.sandbox.daytona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.magpie.daytona.server.Fault;
import dev.magpie.sandbox.PreparationException;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.Workspaces;
import dev.magpie.sandbox.internal.JvmIdentity;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Prepared Daytona workspaces on the local server: a snapshot taken from the prepared sandbox. */
class DaytonaPreparedWorkspaceTest {

    @RegisterExtension
    static final LocalDaytona DAYTONA = new LocalDaytona(Duration.ofMillis(50));

    private Settings settings() {
        return Settings.builder().values(Map.of(DaytonaConfig.API_KEY, DAYTONA.server().apiKey(),
                DaytonaConfig.API_URL, DAYTONA.server().baseUrl(), DaytonaConfig.OWNER, LocalDaytona.OWNER)).build();
    }

    /** A preparation that stamps its run with a value no other run shares, and builds from the snapshot's files. */
    private Workspace create(String build) {
        return Workspaces.create(spec(build).build(), settings());
    }

    private WorkspaceSpec.Builder spec(String build) {
        return WorkspaceSpec.builder().provider(ProviderId.DAYTONA).snapshot(LocalDaytona.GIT_SNAPSHOT)
                .workingDir("widgets").prepare("cat /proc/sys/kernel/random/uuid > stamp.txt && " + build);
    }

    private int snapshotsTaken() {
        return DAYTONA.exchanges("POST", "/api/sandbox/[^/]+/snapshot").size();
    }

    @Test
    void preparesOnceAndEverySandboxStartsFromTheSnapshotTakenOfIt() {
        try (Workspace first = create("cp README.md built.txt"); Workspace second = create("cp README.md built.txt")) {
            assertThat(second.readString("built.txt")).isEqualTo("widgets\n");
            assertThat(first.readString("stamp.txt")).isEqualTo(second.readString("stamp.txt"));
            first.writeString("built.txt", "changed\n");
            assertThat(second.readString("built.txt")).isEqualTo("widgets\n");
            assertThat(second.exec("git", "log", "--format=%s").stdout()).isEqualTo("init\n");
        }
        assertThat(snapshotsTaken()).isEqualTo(1);
    }

    @Test
    void anotherCommandPreparesAgain() {
        try (Workspace one = create("echo one > built.txt"); Workspace two = create("echo two > built.txt")) {
            assertThat(one.readString("built.txt")).isEqualTo("one\n");
            assertThat(two.readString("built.txt")).isEqualTo("two\n");
            assertThat(one.readString("stamp.txt")).isNotEqualTo(two.readString("stamp.txt"));
        }
        assertThat(snapshotsTaken()).isEqualTo(2);
    }

    @Test
    void anotherEnvironmentPreparesAgain() {
        String build = "echo \"$FLAVOUR\" > built.txt";
        try (Workspace plain = Workspaces.create(spec(build).env("FLAVOUR", "plain").build(), settings());
             Workspace spicy = Workspaces.create(spec(build).env("FLAVOUR", "spicy").build(), settings())) {
            assertThat(plain.readString("built.txt")).isEqualTo("plain\n");
            assertThat(spicy.readString("built.txt")).isEqualTo("spicy\n");
        }
        assertThat(snapshotsTaken()).isEqualTo(2);
    }

    @Test
    void aFailedPreparationFailsEveryWorkspaceWithItsTranscriptTakesNoSnapshotAndRunsOnce() {
        Throwable first = catchThrowable(() -> create("echo toolchain-missing >&2; exit 4"));
        assertThat(first).isInstanceOf(PreparationException.class).hasMessageContaining("exit code 4")
                .hasMessageContaining("toolchain-missing");
        Throwable second = catchThrowable(() -> create("echo toolchain-missing >&2; exit 4"));
        assertThat(second).isInstanceOf(PreparationException.class).hasCause(first);
        assertThat(snapshotsTaken()).isZero();
        assertThat(DAYTONA.exchanges("POST", "/api/sandbox")).hasSize(1);
    }

    @Test
    void aPreparationWhoseSnapshotFailedIsTakenAgainWhenTheNextWorkspaceNeedsIt() {
        // The server takes the snapshot but the reply is lost: the failed attempt leaves its snapshot behind.
        DAYTONA.server().inject(Fault.dropReply().on("POST", "/api/sandbox/[^/]+/snapshot"));
        Throwable lost = catchThrowable(() -> create("echo retried > built.txt"));
        assertThat(lost).isInstanceOf(WorkspaceException.class).isNotInstanceOf(PreparationException.class);

        try (Workspace retried = create("echo retried > built.txt")) {
            assertThat(retried.readString("built.txt")).isEqualTo("retried\n");
        }
        assertThat(snapshotsTaken()).isEqualTo(2);
    }

    @Test
    void theSweepDeletesTheSnapshotsOfAJvmOfThisHostThatIsGone() throws Exception {
        DaytonaClient client = DAYTONA.client();
        DaytonaSnapshots snapshots = DaytonaSnapshots.of(client);
        try (DaytonaWorkspace source = DAYTONA.workspace()) {
            long deadPid = deadPid();
            String host = PreparedSnapshots.hostDigest(JvmIdentity.current().host());
            String dead = "magpie-prepared-0123abcd-" + host + "-" + deadPid + "-1";
            String otherHost = "magpie-prepared-0123abcd-ffffffff-" + deadPid + "-1";
            String kept = "magpie-prepared-0123abcd";
            for (String name : new String[] {dead, otherHost, kept}) {
                snapshots.take(source.id(), name);
            }
            assertThat(new DaytonaProvider().sweep(settings())).contains("prepared snapshot " + dead);
            assertThat(snapshots.state(dead)).isEmpty();
            assertThat(snapshots.state(otherHost)).contains("active");
            assertThat(snapshots.state(kept)).contains("active");
            snapshots.delete(otherHost);
            snapshots.delete(kept);
        }
    }

    private static long deadPid() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }
}
