package dev.magpie.sandbox.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.magpie.sandbox.ConfigurationException;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.Workspaces;
import dev.magpie.sandbox.internal.WarmPools;
import dev.magpie.sandbox.local.LocalWorkspace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Warm pools of local clones through {@link Workspaces#create}: refills, fresh takes, the drain. */
class LocalPoolTest {

    private static final Settings POOLED = Settings.builder().values(Map.of(Workspaces.POOL_SIZE_KEY, "2")).build();

    @TempDir
    Path origin;

    @AfterEach
    void drain() {
        Workspaces.drainPools();
    }

    @Test
    void aPooledCloneIsFreshWhateverTheOneBeforeItDidAndThePoolRefills() throws IOException {
        String head = commit();
        WorkspaceSpec spec = spec();
        startPool(spec);
        awaitReady(spec, 2);

        LocalWorkspace used = (LocalWorkspace) Workspaces.create(spec, POOLED);
        assertThat(WarmPools.ready(ProviderId.LOCAL, spec, POOLED)).isLessThan(2);
        used.writeFile("left-behind.txt", "x".getBytes(StandardCharsets.UTF_8));
        assertThat(used.shell("echo changed >> README.md && git add -A && git -c user.name=t -c user.email=t@t"
                + " commit -qm local && git config core.pooltest yes").exitCode()).isZero();
        used.destroy();
        assertThat(used.directory()).doesNotExist();
        awaitReady(spec, 2);

        LocalWorkspace taken = (LocalWorkspace) Workspaces.create(spec, POOLED);
        try {
            assertThat(taken.id()).isNotEqualTo(used.id());
            assertThat(taken.transcript().isEmpty()).isTrue();
            assertThat(taken.list(".")).containsExactlyInAnyOrder(".git", "README.md");
            assertThat(taken.shell("git rev-parse HEAD").stdout().strip()).isEqualTo(head);
            assertThat(taken.shell("git status --porcelain").stdout()).isEmpty();
            assertThat(taken.shell("git config core.pooltest || echo unset").stdout().strip()).isEqualTo("unset");
            assertThat(taken.shell("echo $POOL_MARK").stdout().strip()).isEqualTo("mark");
        } finally {
            taken.destroy();
        }
        assertThat(taken.directory()).doesNotExist();
    }

    @Test
    void aRequestOfAPooledSpecGetsACloneThatWasMadeBeforeTheRequest() throws IOException {
        commit();
        WorkspaceSpec spec = spec();
        startPool(spec);
        awaitReady(spec, 2);
        Path root;
        try (LocalWorkspace first = (LocalWorkspace) Workspaces.create(spec, POOLED)) {
            root = first.directory().getParent();
        }
        awaitReady(spec, 2);
        List<String> madeAhead = clones(root);

        try (LocalWorkspace taken = (LocalWorkspace) Workspaces.create(spec, POOLED)) {
            assertThat(madeAhead).as("this JVM's clones before the request")
                    .contains(taken.directory().getFileName().toString());
        }
    }

    @Test
    void aPooledCloneGoesOnlyToRequestsMadeWithTheSettingsItWasMadeWith() throws IOException {
        commit();
        WorkspaceSpec spec = spec();
        startPool(spec);
        awaitReady(spec, 2);
        Settings narrow = Settings.builder().values(Map.of(Workspaces.POOL_SIZE_KEY, "2",
                LocalWorkspace.INHERIT_ENV_KEY, "PATH")).build();

        try (Workspace taken = Workspaces.create(spec, narrow)) {
            assertThat(taken.shell("echo ${HOME:-unset}").stdout().strip()).as("HOME under inherit-env=PATH")
                    .isEqualTo("unset");
        }
        assertThat(WarmPools.ready(ProviderId.LOCAL, spec, POOLED)).as("clones ready for the pool's own settings")
                .isEqualTo(2);
    }

    @Test
    void theDrainRemovesEveryPooledDirectoryAndALaterRequestStartsAgain() throws IOException {
        commit();
        WorkspaceSpec spec = spec();
        Workspace first = Workspaces.create(spec, POOLED);
        Path root = ((LocalWorkspace) first).directory().getParent();
        first.destroy();
        List<String> before = clones(root);
        Workspaces.create(spec, POOLED).destroy();
        awaitReady(spec, 2);
        assertThat(clones(root)).hasSize(before.size() + 2);

        Workspaces.drainPools();

        assertThat(WarmPools.ready(ProviderId.LOCAL, spec, POOLED)).isZero();
        assertThat(clones(root)).containsExactlyInAnyOrderElementsOf(before);
        startPool(spec);
        awaitReady(spec, 2);
    }

    @Test
    void aSpecAskedForOnceOrWithPoolsOffOrNamingAPathIsNeverPooled() throws IOException {
        commit();
        WorkspaceSpec once = spec().newBuilder().env("ONLY", "once").build();
        Workspaces.create(once, POOLED).destroy();
        WorkspaceSpec off = spec();
        Settings none = Settings.builder().values(Map.of(Workspaces.POOL_SIZE_KEY, "2",
                ProviderId.LOCAL.key("pool.size"), "0")).build();
        startPool(off, none);
        WorkspaceSpec path = WorkspaceSpec.builder().provider(ProviderId.LOCAL).path(origin.toString()).build();
        startPool(path);

        // Another pool filling up shows that these would have had time to fill too.
        WorkspaceSpec pooled = spec().newBuilder().env("OTHER", "1").build();
        startPool(pooled);
        awaitReady(pooled, 2);
        assertThat(WarmPools.ready(ProviderId.LOCAL, once, POOLED)).isZero();
        assertThat(WarmPools.ready(ProviderId.LOCAL, off, none)).isZero();
        assertThat(WarmPools.ready(ProviderId.LOCAL, path, POOLED)).isZero();
    }

    @Test
    void aMalformedPoolKeyIsAConfigurationErrorNamingTheKeyAndWhatItAccepts() {
        WorkspaceSpec temporary = WorkspaceSpec.builder().build();
        Settings size = Settings.builder().values(Map.of(ProviderId.LOCAL.key("pool.size"), "-1")).build();
        Settings inflight = Settings.builder().values(Map.of(Workspaces.POOL_SIZE_KEY, "2",
                Workspaces.POOL_INFLIGHT_KEY, "none")).build();

        assertThatThrownBy(() -> Workspaces.create(temporary, size)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("magpie.local.pool.size").hasMessageContaining("'-1'")
                .hasMessageContaining("auto");
        assertThatThrownBy(() -> Workspaces.create(temporary, inflight)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(Workspaces.POOL_INFLIGHT_KEY).hasMessageContaining("'none'");
    }

    private WorkspaceSpec spec() {
        return WorkspaceSpec.builder().provider(ProviderId.LOCAL).cloneFrom(origin.toString()).env("POOL_MARK", "mark")
                .build();
    }

    private static void startPool(WorkspaceSpec spec) {
        startPool(spec, POOLED);
    }

    /** A spec is pooled from its second request on. */
    private static void startPool(WorkspaceSpec spec, Settings settings) {
        Workspaces.create(spec, settings).destroy();
        Workspaces.create(spec, settings).destroy();
    }

    private static void awaitReady(WorkspaceSpec spec, int count) {
        Poll.until(count + " pooled sandboxes of " + spec, () -> WarmPools.ready(ProviderId.LOCAL, spec, POOLED) == count,
                () -> WarmPools.ready(ProviderId.LOCAL, spec, POOLED));
    }

    /** The clone directories of this JVM under the temporary root. */
    private static List<String> clones(Path root) throws IOException {
        String prefix = "magpie-" + ProcessHandle.current().pid() + "-";
        try (Stream<Path> entries = Files.list(root)) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(name -> name.startsWith(prefix) && name.contains("-clone-")).toList();
        }
    }

    private String commit() throws IOException {
        Files.writeString(origin.resolve("README.md"), "widgets\n");
        git("init", "-q", "-b", "main");
        git("add", ".");
        git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "first");
        return git("rev-parse", "HEAD");
    }

    private String git(String... args) {
        try {
            Process process = new ProcessBuilder(Stream.concat(Stream.of("git"), Stream.of(args)).toList())
                    .directory(origin.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(process.waitFor()).as("git %s: %s", String.join(" ", args), out).isZero();
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
