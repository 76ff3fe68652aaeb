package dev.magpie.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.magpie.sandbox.Preparation;
import dev.magpie.sandbox.PreparationException;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.Workspaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prepared local workspaces, from real git repositories and directories this test creates. */
class LocalPreparedWorkspaceTest {

    @TempDir
    Path dir;
    private Path repo;
    private Path counter;

    @BeforeEach
    void createRepository() {
        repo = GitRepos.init(dir.resolve("widgets"));
        GitRepos.commit(repo, "version.txt", "v1\n");
        counter = dir.resolve("runs.txt");
    }

    /** A preparation that counts its runs outside the workspace and builds a file inside it. */
    private String counting(String build) {
        return "echo run >> '" + counter + "' && " + build;
    }

    private Workspace create(WorkspaceSpec.Builder spec) {
        return Workspaces.create(spec.provider(ProviderId.LOCAL).build(), Settings.fromSystem());
    }

    private List<String> runs() throws IOException {
        return Files.exists(counter) ? Files.readAllLines(counter) : List.of();
    }

    @Test
    void preparesOnceAndEveryWorkspaceStartsFromItsOwnCopy() throws IOException {
        WorkspaceSpec.Builder spec = WorkspaceSpec.builder().cloneFrom(repo.toString())
                .prepare(counting("cat version.txt > built.txt"));
        try (Workspace first = create(spec); Workspace second = create(spec)) {
            assertThat(first.readString("built.txt")).isEqualTo("v1\n");
            assertThat(second.readString("built.txt")).isEqualTo("v1\n");
            assertThat(runs()).hasSize(1);
            first.writeString("built.txt", "changed\n");
            assertThat(second.readString("built.txt")).isEqualTo("v1\n");
            assertThat(first.workingDir()).isNotEqualTo(second.workingDir());
            assertThat(second.exec("git", "log", "--format=%s").stdout()).isEqualTo("Change version.txt\n");
        }
    }

    @Test
    void aNewCommitOfTheSourcePreparesAgain() throws IOException {
        WorkspaceSpec.Builder spec = WorkspaceSpec.builder().cloneFrom(repo.toString()).ref("main")
                .prepare(counting("cat version.txt > built.txt"));
        try (Workspace before = create(spec)) {
            assertThat(before.readString("built.txt")).isEqualTo("v1\n");
        }
        GitRepos.commit(repo, "version.txt", "v2\n");
        try (Workspace after = create(spec)) {
            assertThat(after.readString("built.txt")).isEqualTo("v2\n");
        }
        assertThat(runs()).hasSize(2);
    }

    @Test
    void anotherCommandPreparesAgain() throws IOException {
        try (Workspace first = create(WorkspaceSpec.builder().cloneFrom(repo.toString())
                .prepare(counting("echo one > built.txt")));
             Workspace second = create(WorkspaceSpec.builder().cloneFrom(repo.toString())
                .prepare(counting("echo two > built.txt")))) {
            assertThat(first.readString("built.txt")).isEqualTo("one\n");
            assertThat(second.readString("built.txt")).isEqualTo("two\n");
        }
        assertThat(runs()).hasSize(2);
    }

    @Test
    void anotherEnvironmentPreparesAgainAndTheSameOneReusesItsState() throws IOException {
        String build = counting("echo \"$FLAVOUR\" > built.txt");
        try (Workspace plain = create(WorkspaceSpec.builder().cloneFrom(repo.toString()).prepare(build)
                .env("FLAVOUR", "plain"));
             Workspace spicy = create(WorkspaceSpec.builder().cloneFrom(repo.toString()).prepare(build)
                .env("FLAVOUR", "spicy"));
             Workspace plainAgain = create(WorkspaceSpec.builder().cloneFrom(repo.toString()).prepare(build)
                .env("FLAVOUR", "plain"))) {
            assertThat(plain.readString("built.txt")).isEqualTo("plain\n");
            assertThat(spicy.readString("built.txt")).isEqualTo("spicy\n");
            assertThat(plainAgain.readString("built.txt")).isEqualTo("plain\n");
        }
        assertThat(runs()).hasSize(2);
    }

    @Test
    void aPreparationThatOutlastsItsTimeoutFailsSayingWhatToDoAndLeavesNothingBehind() throws Exception {
        Settings quick = Settings.builder().values(Map.of(Preparation.TIMEOUT_KEY, "1s")).source(key ->
                Settings.fromSystem().get(key)).build();
        WorkspaceSpec spec = WorkspaceSpec.builder().provider(ProviderId.LOCAL).cloneFrom(repo.toString())
                .prepare(counting("sleep 3171")).build();
        List<Path> before = leftovers("");

        assertThatThrownBy(() -> Workspaces.create(spec, quick)).isInstanceOf(PreparationException.class)
                .hasMessageContaining("sleep 3171").hasMessageContaining("timed out after 1000 ms")
                .hasMessageContaining("raise " + Preparation.TIMEOUT_KEY);

        assertThat(runs()).hasSize(1);
        assertThat(Processes.noneRunning(Duration.ofSeconds(30), "sleep", "3171"))
                .as("the preparation's process, 30 s after its timeout").isTrue();
        assertThat(leftovers("")).as("entries of the temporary root").containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void aFailedPreparationFailsEveryWorkspaceWithItsRedactedTranscriptAndRunsOnce() throws IOException {
        String secret = "ghp_" + "a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6";
        WorkspaceSpec.Builder spec = WorkspaceSpec.builder().cloneFrom(repo.toString())
                .prepare(counting("echo \"fetching with " + secret + "\" >&2; echo no-such-dependency >&2; exit 3"));
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> create(spec)).isInstanceOf(PreparationException.class)
                    .hasMessageContaining("ended with exit code 3")
                    .hasMessageContaining("no-such-dependency")
                    .hasMessageNotContaining(secret)
                    .satisfies(e -> assertThat(((PreparationException) e).transcript()).contains("no-such-dependency")
                            .doesNotContain(secret));
        }
        assertThat(runs()).hasSize(1);
        assertThat(leftovers("prepar")).isEmpty();
    }

    @Test
    void aDirectoryIsPreparedOnceForItsContentAndAgainWhenItChanges() throws IOException {
        Path source = Files.createDirectories(dir.resolve("plain"));
        Files.writeString(source.resolve("input.txt"), "a\n");
        WorkspaceSpec.Builder spec = WorkspaceSpec.builder().path(source.toString())
                .prepare(counting("cat input.txt > built.txt"));
        try (Workspace first = create(spec); Workspace second = create(spec)) {
            assertThat(second.readString("built.txt")).isEqualTo("a\n");
            assertThat(first.workingDir()).isNotEqualTo(source.toRealPath().toString());
        }
        assertThat(source.resolve("built.txt")).doesNotExist();
        Files.writeString(source.resolve("input.txt"), "bb\n");
        try (Workspace changed = create(spec)) {
            assertThat(changed.readString("built.txt")).isEqualTo("bb\n");
        }
        assertThat(runs()).hasSize(2);
    }

    @Test
    void aKeptPreparationOutlivesItsWorkspacesUnderItsDocumentedNameAndALaterRunReusesIt() throws IOException {
        Settings keep = Settings.builder().values(Map.of(Preparation.KEEP_KEY, "true")).source(key ->
                Settings.fromSystem().get(key)).build();
        WorkspaceSpec spec = WorkspaceSpec.builder().provider(ProviderId.LOCAL).cloneFrom(repo.toString())
                .prepare(counting("echo kept > built.txt")).build();
        List<Path> before = leftovers("magpie-prepared-");
        try (Workspace workspace = Workspaces.create(spec, keep)) {
            assertThat(workspace.readString("built.txt")).isEqualTo("kept\n");
        }
        List<Path> kept = leftovers("magpie-prepared-");
        kept.removeAll(before);
        assertThat(kept).hasSize(1);
        assertThat(kept.get(0).resolve("built.txt")).hasContent("kept");

        // What a later run sees: prepared trees of its own, and the kept directory.
        LocalRuntime runtime = LocalRuntime.shared();
        Path copy = new PreparedTrees(runtime.tempDirs(), runtime.runner(), runtime.cloner()).copy(spec, keep);
        try {
            assertThat(copy.resolve("built.txt")).hasContent("kept");
            assertThat(runs()).hasSize(1);
        } finally {
            dev.magpie.sandbox.internal.TreeDeleter.delete(copy);
            dev.magpie.sandbox.internal.TreeDeleter.delete(kept.get(0));
        }
    }

    /** Entries of this JVM's temporary root whose name contains {@code part}. */
    private static List<Path> leftovers(String part) throws IOException {
        Path root = LocalRuntime.shared().tempDirs().root();
        try (Stream<Path> entries = Files.list(root)) {
            return new java.util.ArrayList<>(entries.filter(p -> p.getFileName().toString().contains(part)).toList());
        }
    }
}
