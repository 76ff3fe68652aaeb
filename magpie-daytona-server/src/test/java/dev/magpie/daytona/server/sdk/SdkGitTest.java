package dev.magpie.daytona.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The official SDK's git against the local server, on a real repository: the snapshot's template holds a bare
 * origin made here (see {@link GitFixture}), which the scenario clones, changes, pushes to and pulls from; what
 * reached the origin is read back here.
 */
class SdkGitTest {

    static final String SNAPSHOT = "git-fixture";
    private static final String PASSWORD = "s3cret-pa55word-never-shown";

    private static Path template;

    @RegisterExtension
    static final OfficialSdk SDK = new OfficialSdk(builder ->
            builder.snapshot(SNAPSHOT, template = GitFixture.template(SdkGitTest.class)));

    @Test
    void drivesARepositoryAndItsOriginThroughTheSdk() throws IOException {
        drive(SDK);
    }

    @Test
    void clonesWithCredentialsThatReachTheRemoteAndShowNowhere() throws IOException {
        try (BasicAuthGitServer remote = new BasicAuthGitServer(template.resolve("origin.git"), "reader", PASSWORD)) {
            JsonNode r = drive(SDK, Map.of("httpUrl", remote.url()));

            assertThat(r.path("httpClone").path("error").isNull()).as(r.path("httpClone").toString()).isTrue();
            assertThat(r.path("httpCloned").asText()).isEqualTo("main");
            assertThat(remote.authorizedRequests()).isPositive();
            assertThat(r.path("wrongPassword").path("status").asInt()).isEqualTo(401);
            assertThat(r.path("wrongPassword").path("error").asText()).isEqualTo("DaytonaGitAuthFailedError");
            assertThat(r.path("wrongPassword").path("message").asText()).doesNotContain("not-the-password-42");
            assertThat(r.path("noCredentials").path("status").asInt()).isEqualTo(401);
        }
    }

    /** Runs the git scenario on the SDK's server, checks what it reports and what reached the origin; returns it. */
    static JsonNode drive(OfficialSdk sdk) throws IOException {
        return drive(sdk, Map.of());
    }

    private static JsonNode drive(OfficialSdk sdk, Map<String, String> extra) throws IOException {
        Map<String, String> args = new HashMap<>(extra);
        args.putAll(Map.of("snapshot", SNAPSHOT, "password", PASSWORD));
        JsonNode r = sdk.run("git.mjs", args);

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

        Path origin = sdk.server().directory(r.path("sandboxId").asText()).orElseThrow().resolve("origin.git");
        assertThat(GitFixture.git(origin, "rev-parse", "refs/heads/topic").strip())
                .isEqualTo(r.path("emptyCommit").asText());
        assertThat(GitFixture.git(origin, "log", "-1", "--format=%s", r.path("topicCommit").asText()).strip())
                .isEqualTo("Add notes");
        assertThat(GitFixture.git(origin, "rev-parse", "refs/heads/main").strip())
                .isEqualTo(r.path("mainCommit").asText());
        assertThat(GitFixture.git(origin, "log", "--format=%s", "main").lines())
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
        return r;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
