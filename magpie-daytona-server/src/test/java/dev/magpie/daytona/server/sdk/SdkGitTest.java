package dev.magpie.daytona.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The official SDK's git against the local server, on a real repository: the snapshot's template holds a bare
 * origin made here with the git command (main with two commits, feature with one more), which the scenario clones,
 * changes, pushes to and pulls from; what reached the origin is read back here.
 */
class SdkGitTest {

    private static final String SNAPSHOT = "git-fixture";
    private static final String PASSWORD = "s3cret-pa55word-never-shown";
    private static Path template;
    private static String firstCommit;

    @RegisterExtension
    static final OfficialSdk SDK = new OfficialSdk(builder -> builder.snapshot(SNAPSHOT, fixture()));

    /** A template directory with {@code origin.git}: a bare repository made from real commits. */
    private static Path fixture() {
        try {
            template = Files.createTempDirectory("magpie-sdk-git-");
            Path source = template.resolve("source");
            git(template, "init", "--quiet", "--initial-branch=main", source.toString());
            Files.writeString(source.resolve("README.md"), "# widgets\n");
            git(source, "add", "README.md");
            git(source, "commit", "--quiet", "-m", "Start the widgets");
            firstCommit = git(source, "rev-parse", "HEAD").strip();
            Files.writeString(source.resolve("widget.txt"), "one widget\n");
            git(source, "add", "widget.txt");
            git(source, "commit", "--quiet", "-m", "Add a widget");
            git(source, "checkout", "--quiet", "-b", "feature");
            Files.writeString(source.resolve("feature.txt"), "a feature\n");
            git(source, "add", "feature.txt");
            git(source, "commit", "--quiet", "-m", "Add a feature");
            git(source, "checkout", "--quiet", "main");
            git(template, "clone", "--quiet", "--bare", source.toString(), "origin.git");
            git(template, "-C", "origin.git", "remote", "remove", "origin");
            deleteTree(source);
            return template;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not lay out the git fixture", e);
        }
    }

    @Test
    void drivesARepositoryAndItsOriginThroughTheSdk() throws IOException {
        JsonNode r = SDK.run("git.mjs", Map.of("snapshot", SNAPSHOT, "password", PASSWORD, "firstCommit", firstCommit));

        assertThat(r.path("cloned").path("currentBranch").asText()).isEqualTo("main");
        assertThat(r.path("cloned").path("branchPublished").asBoolean()).isTrue();
        assertThat(r.path("cloned").path("upstream").asText()).isEqualTo("origin/main");
        assertThat(r.path("cloned").path("fileStatus")).isEmpty();
        assertThat(r.path("shallowClone").path("error").isNull()).as(r.path("shallowClone").toString()).isTrue();
        assertThat(texts(r.path("shallowHistory"))).containsExactly("Add a feature\n");
        assertThat(r.path("pinned").path("currentBranch").asText()).isEqualTo("HEAD");
        assertThat(r.path("pinned").path("detached").asBoolean()).isTrue();

        assertThat(texts(r.path("branchesAfterCreate").path("branches"))).containsExactly("main", "topic");
        assertThat(r.path("branchesAfterCreate").path("current").asText()).isEqualTo("topic");
        assertThat(texts(r.path("untracked"))).containsExactly("notes.txt:Untracked/Untracked");
        assertThat(texts(r.path("staged"))).containsExactly("notes.txt:Added/Unmodified");
        JsonNode newest = r.path("history").get(0);
        assertThat(newest.path("hash").asText()).isEqualTo(r.path("topicCommit").asText());
        assertThat(newest.path("message").asText()).isEqualTo("Add notes\n");
        assertThat(newest.path("author").asText()).isEqualTo("Ada Lovelace");
        assertThat(newest.path("email").asText()).isEqualTo("ada@example.com");
        assertThat(newest.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.*");
        assertThat(r.path("history")).hasSize(3);

        assertThat(r.path("afterPull").get(0).asText()).isEqualTo(r.path("otherCommit").asText());
        assertThat(r.path("ahead").path("ahead").asInt()).isEqualTo(1);
        assertThat(r.path("ahead").path("behind").asInt()).isZero();
        assertThat(r.path("afterMainPush").path("ahead").asInt()).isZero();

        assertThat(texts(r.path("modified"))).containsExactly("README.md:Unmodified/Modified");
        assertThat(r.path("restored")).isEmpty();
        assertThat(texts(r.path("mixedReset"))).containsExactly("README.md:Unmodified/Modified");
        assertThat(r.path("hardReset")).isEmpty();
        assertThat(texts(r.path("softReset"))).containsExactly("main.txt:Added/Unmodified");

        assertThat(texts(r.path("branchesAfterDelete").path("branches"))).containsExactly("main");
        assertThat(r.path("remotes").path("remotes").get(0).path("name").asText()).isEqualTo("origin");
        assertThat(r.path("remotes").path("remotes").get(0).path("url").asText()).endsWith("/origin.git");
        assertThat(r.path("mirror").asText()).endsWith("/other");
        assertThat(r.path("config").path("userName").asText()).isEqualTo("Ada Lovelace");
        assertThat(r.path("config").path("autocrlf").asText()).isEqualTo("input");
        assertThat(r.path("config").path("unset").isNull()).isTrue();
        assertThat(r.path("fresh").path("currentBranch").asText()).isEqualTo("trunk");

        Path origin = SDK.server().directory(r.path("sandboxId").asText()).orElseThrow().resolve("origin.git");
        assertThat(git(origin, "rev-parse", "refs/heads/topic").strip()).isEqualTo(r.path("emptyCommit").asText());
        assertThat(git(origin, "log", "-1", "--format=%s", r.path("topicCommit").asText()).strip())
                .isEqualTo("Add notes");
        assertThat(git(origin, "rev-parse", "refs/heads/main").strip()).isEqualTo(r.path("mainCommit").asText());
        assertThat(git(origin, "log", "--format=%s", "main").lines())
                .containsExactly("Main notes", "Work from elsewhere", "Add a widget", "Start the widgets");

        // failures come with the daemon's statuses and codes, hence the SDK's error classes
        assertThat(r.path("missingRepo").path("status").asInt()).isEqualTo(404);
        assertThat(r.path("missingRepo").path("error").asText()).isEqualTo("DaytonaGitRepoNotFoundError");
        assertThat(r.path("missingRepo").path("message").asText()).contains("no-such.git").doesNotContain(PASSWORD);
        assertThat(r.path("unknownBranch").path("status").asInt()).isEqualTo(404);
        assertThat(r.path("unknownBranch").path("error").asText()).isEqualTo("DaytonaNotFoundError");
        assertThat(r.path("unknownBranch").path("message").asText()).contains("no-such-branch");
        assertThat(r.path("notARepo").path("error").asText()).isEqualTo("DaytonaGitRepoNotFoundError");
        assertThat(r.path("existingBranch").path("status").asInt()).isEqualTo(409);
        assertThat(r.path("existingBranch").path("error").asText()).isEqualTo("DaytonaGitBranchExistsError");
        assertThat(r.path("outside").path("status").asInt()).isEqualTo(403);
    }

    @AfterAll
    static void deleteFixture() throws IOException {
        if (template != null) {
            deleteTree(template);
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    /** Runs the git command of this machine in the directory and returns its output; fails on a non-zero exit. */
    private static String git(Path directory, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("git", "-c", "safe.directory=*", "-c", "user.name=Fixture",
                "-c", "user.email=fixture@example.com"));
        command.addAll(List.of(args));
        return ScenarioRun.command(command, directory, Map.of("GIT_TERMINAL_PROMPT", "0"), String.join(" ", command));
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
