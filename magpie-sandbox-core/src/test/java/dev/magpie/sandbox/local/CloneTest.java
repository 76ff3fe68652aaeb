package dev.magpie.sandbox.local;

import dev.magpie.sandbox.InvalidInputException;
import dev.magpie.sandbox.ProviderId;
import static dev.magpie.sandbox.local.GitRepos.commit;
import static dev.magpie.sandbox.local.GitRepos.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.magpie.sandbox.ProviderUnavailableException;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.WorkspaceSpec;
import dev.magpie.sandbox.Workspaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloneTest {

    @TempDir
    static Path base;

    static Path source;
    static Path bare;
    static Path githubFolder;
    static String firstCommit;

    @BeforeAll
    static void createRepositories() {
        source = GitRepos.init(base.resolve("source"));
        firstCommit = commit(source, "README.md", "v1\n");
        git(source, "tag", "-a", "v1", "-m", "first release");
        commit(source, "README.md", "v2\n");
        git(source, "checkout", "--quiet", "-b", "feature");
        commit(source, "feature.txt", "feature\n");
        git(source, "checkout", "--quiet", "main");
        githubFolder = base.resolve("github");
        bare = githubFolder.resolve("acme/widgets.git");
        git(base, "clone", "--quiet", "--bare", source.toString(), bare.toString());
    }

    @Test
    void clonesALocalPathIndependentlyAndDeletesItOnDestroy() throws Exception {
        LocalWorkspace workspace = LocalWorkspace.fromClone(source.toString());
        Path dir = workspace.directory();
        assertThat(workspace.readString("README.md")).isEqualTo("v2\n");
        assertThat(workspace.exec("git", "status", "--porcelain").stdout()).isEmpty();
        assertThat(workspace.exec("git", "remote", "get-url", "origin").stdout().strip()).isEqualTo(source.toString());
        assertThat(workspace.exec("git", "branch", "-r").stdout()).contains("origin/feature");
        assertThat(dir.resolve(".git/objects/info/alternates")).doesNotExist();
        assertThat(workspace.ownsDirectory()).isTrue();
        workspace.destroy();
        assertThat(dir).doesNotExist();
        assertThat(source.resolve("README.md")).exists();
    }

    @Test
    void checksOutBranchesTagsAndCommits() {
        try (LocalWorkspace branch = LocalWorkspace.fromClone(CloneSpec.builder(source.toString()).ref("feature").build());
             LocalWorkspace tag = LocalWorkspace.fromClone(CloneSpec.builder(source.toString()).ref("v1").build());
             LocalWorkspace commit = LocalWorkspace.fromClone(CloneSpec.builder(source.toString()).ref(firstCommit).build())) {
            assertThat(branch.readString("feature.txt")).isEqualTo("feature\n");
            assertThat(branch.exec("git", "rev-parse", "--abbrev-ref", "HEAD").stdout().strip()).isEqualTo("feature");
            assertThat(tag.readString("README.md")).isEqualTo("v1\n");
            assertThat(commit.readString("README.md")).isEqualTo("v1\n");
            assertThat(commit.exec("git", "rev-parse", "HEAD").stdout().strip()).isEqualTo(firstCommit);
            assertThat(commit.exists("feature.txt")).isFalse();
        }
    }

    @Test
    void clonesFileUrlsOfBareRepositoriesShallow() {
        CloneSpec spec = CloneSpec.builder("file://" + bare).depth(1).ref("main").build();
        try (LocalWorkspace workspace = LocalWorkspace.fromClone(spec)) {
            assertThat(workspace.readString("README.md")).isEqualTo("v2\n");
            assertThat(workspace.exec("git", "rev-list", "--count", "HEAD").stdout().strip()).isEqualTo("1");
            assertThat(workspace.exec("git", "remote", "get-url", "origin").stdout().strip())
                    .isEqualTo("file://" + bare);
        }
    }

    @Test
    void shorthandResolvesAgainstAConfiguredGithubBase() {
        for (String githubBase : List.of(githubFolder.toString(), "file://" + githubFolder)) {
            Settings settings = Settings.builder().values(Map.of(LocalWorkspace.GITHUB_BASE_KEY, githubBase)).build();
            try (LocalWorkspace workspace = LocalWorkspace.fromClone(CloneSpec.of("acme/widgets"), Map.of(), settings)) {
                assertThat(workspace.readString("README.md")).isEqualTo("v2\n");
            }
        }
        Settings settings = Settings.builder().values(Map.of(LocalWorkspace.GITHUB_BASE_KEY, githubFolder.toString()))
                .build();
        assertThatThrownBy(() -> LocalWorkspace.fromClone(CloneSpec.of("acme/missing"), Map.of(), settings))
                .isInstanceOf(WorkspaceException.class).hasMessageContaining("acme/missing.git")
                .hasMessageContaining(LocalWorkspace.GITHUB_BASE_KEY);
    }

    @Test
    void cachedClonesFetchTheSourceOnceAndStayIndependent() throws Exception {
        Path moving = base.resolve("moving");
        git(base, "clone", "--quiet", source.toString(), moving.toString());
        LocalWorkspace first = LocalWorkspace.fromClone(moving.toString());
        commit(moving, "README.md", "v3\n");
        try (LocalWorkspace second = LocalWorkspace.fromClone(moving.toString())) {
            // The source moved on, but it is fetched once per JVM: the second clone came from the cached mirror.
            assertThat(second.readString("README.md")).isEqualTo("v2\n");
            assertThat(second.exec("git", "remote", "get-url", "origin").stdout().strip()).isEqualTo(moving.toString());
            first.writeString("README.md", "changed in first\n");
            first.exec("git", "-c", "user.name=T", "-c", "user.email=t@example.invalid", "commit", "-qam", "first");
            assertThat(second.readString("README.md")).isEqualTo("v2\n");
            assertThat(second.exec("git", "log", "--oneline").stdout()).doesNotContain("first");
            assertThat(second.exec("git", "fsck", "--no-dangling").exitCode()).isZero();
            String links = second.shell("find .git/objects -type f -links +1 | wc -l").stdout().strip();
            assertThat(links).as("object files shared by hard link").isEqualTo("0");
        } finally {
            first.destroy();
        }
    }

    @Test
    void concurrentClonesOfOneSourceAllSucceed() {
        Path fresh = base.resolve("concurrent");
        git(base, "clone", "--quiet", source.toString(), fresh.toString());
        List<LocalWorkspace> workspaces = IntStream.range(0, 4).parallel()
                .mapToObj(i -> LocalWorkspace.fromClone(fresh.toString())).toList();
        try {
            assertThat(workspaces).allSatisfy(w -> assertThat(w.readString("README.md")).isEqualTo("v2\n"));
            assertThat(workspaces.stream().map(LocalWorkspace::directory).distinct()).hasSize(4);
        } finally {
            workspaces.forEach(LocalWorkspace::destroy);
        }
    }

    @Test
    void withoutTheCacheClonesDirectly() {
        Settings settings = Settings.builder().values(Map.of(LocalWorkspace.CLONE_CACHE_KEY, "false")).build();
        try (LocalWorkspace workspace = LocalWorkspace.fromClone(CloneSpec.builder(source.toString()).ref(firstCommit)
                .build(), Map.of("X", "y"), settings)) {
            assertThat(workspace.readString("README.md")).isEqualTo("v1\n");
            assertThat(workspace.shell("echo $X").stdout()).isEqualTo("y\n");
        }
    }

    @Test
    void failedCloneReportsGitsErrorWithCredentialsRedacted() {
        String url = "https://someone:hunter2pass@127.0.0.1:9/acme/widgets.git";
        assertThatThrownBy(() -> LocalWorkspace.fromClone(url))
                .isInstanceOf(WorkspaceException.class)
                .hasMessageContaining("fatal:")
                .hasMessageContaining("127.0.0.1")
                .hasMessageNotContaining("hunter2pass");
        assertThatThrownBy(() -> LocalWorkspace.fromClone(CloneSpec.builder(source.toString()).ref("no-such-ref")
                .build())).isInstanceOf(WorkspaceException.class).hasMessageContaining("no-such-ref");
        assertThatThrownBy(() -> LocalWorkspace.fromClone("not a source!"))
                .isInstanceOf(WorkspaceException.class).hasMessageContaining("org/name");
    }

    @Test
    void shorthandGoesThroughGhWhenItIsLoggedIn() throws Exception {
        // A stand-in for gh (GitHub is out of reach here): logged in, and it clones from the local folder.
        Path gh = base.resolve("fake-gh");
        Files.writeString(gh, String.join("\n", "#!/bin/sh",
                "echo \"$*\" >> \"$0.log\"",
                "case \"$1 $2\" in",
                "  'auth status') exit 0 ;;",
                "  'repo clone') repo=$3; dir=$4; shift 4; [ \"$1\" = -- ] && shift",
                "    exec git clone \"$@\" '" + githubFolder + "'/$repo.git \"$dir\" ;;",
                "esac", "exit 1", ""));
        Files.setPosixFilePermissions(gh, PosixFilePermissions.fromString("rwxr-xr-x"));
        Settings settings = Settings.builder().values(Map.of(LocalWorkspace.GH_KEY, gh.toString(),
                LocalWorkspace.GITHUB_BASE_KEY, CloneSpec.DEFAULT_GITHUB_BASE)).build();
        try (LocalWorkspace workspace = LocalWorkspace.fromClone(CloneSpec.builder("acme/widgets").ref("feature")
                .build(), Map.of(), settings)) {
            assertThat(workspace.readString("feature.txt")).isEqualTo("feature\n");
            assertThat(workspace.exec("git", "remote", "get-url", "origin").stdout().strip())
                    .isEqualTo(bare.toString());
        }
        assertThat(Files.readAllLines(base.resolve("fake-gh.log"))).first().isEqualTo("auth status");
        assertThat(Files.readAllLines(base.resolve("fake-gh.log"))).last().asString()
                .startsWith("repo clone acme/widgets ").endsWith(" -- --mirror");
    }

    @Test
    void missingGitIsAProviderThatIsUnavailable() {
        Settings settings = Settings.builder().values(Map.of(LocalWorkspace.GIT_KEY, "/nonexistent/git")).build();
        assertThatThrownBy(() -> LocalWorkspace.fromClone(CloneSpec.of(bare.toString()), Map.of(), settings))
                .isInstanceOf(ProviderUnavailableException.class).hasMessageContaining("/nonexistent/git")
                .hasMessageContaining(LocalWorkspace.GIT_KEY);
    }

    @Test
    void workspacesRouteCloneSpecsToLocalClones() {
        WorkspaceSpec spec = WorkspaceSpec.builder().cloneFrom(source.toString()).ref("feature").depth(1).env("K", "v")
                .build();
        try (Workspace workspace = Workspaces.create(spec, Settings.fromSystem())) {
            assertThat(workspace.provider()).isEqualTo(ProviderId.LOCAL);
            assertThat(workspace.readString("feature.txt")).isEqualTo("feature\n");
            assertThat(workspace.exec("git", "rev-list", "--count", "HEAD").stdout().strip()).isEqualTo("1");
            assertThat(workspace.shell("echo $K").stdout()).isEqualTo("v\n");
        }
        assertThatThrownBy(() -> WorkspaceSpec.builder().depth(1).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("clone");
        WorkspaceSpec inRoot = WorkspaceSpec.builder().cloneFrom(source.toString()).workingDir("sub").build();
        assertThatThrownBy(() -> Workspaces.create(inRoot, Settings.fromSystem()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("subdirectory");
    }
}
