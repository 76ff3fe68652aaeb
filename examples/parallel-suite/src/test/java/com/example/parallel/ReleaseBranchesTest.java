package com.example.parallel;

import static dev.magpie.junit.SandboxAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.junit.Sandbox;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.Workspace;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many release branches checked at once: each test runs in its own sandbox, so they can all write the same file
 * names and run git at the same time without seeing each other.
 */
class ReleaseBranchesTest {

    @Sandbox(env = "GIT_AUTHOR_NAME=Release Bot")
    Workspace repo;

    @BeforeEach
    void initRepository() {
        assertThat(repo.shell("git init -q -b main && git config user.email bot@example.com"
                + " && git config user.name 'Release Bot' && echo 0.0.0 > VERSION"
                + " && git add VERSION && git commit -qm 'First version'")).succeeded();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0.0", "1.1.0", "2.0.0", "2.1.0", "3.0.0", "3.1.0", "4.0.0", "4.1.0"})
    void cutsAReleaseBranch(String version) {
        assertThat(repo.exec("git", "switch", "-q", "-c", "release/" + version)).succeeded();
        repo.writeString("VERSION", version + "\n");
        assertThat(repo.exec("git", "commit", "-qam", "Release " + version)).succeeded();

        ExecRequest slowCheck = ExecRequest.builder("sh", "-c", "sleep 0.3; cat VERSION")
                .timeout(Duration.ofSeconds(10)).build();
        assertThat(repo.exec(slowCheck)).succeeded().stdout().isEqualTo(version + "\n");
        assertThat(repo.exec("git", "log", "--format=%an: %s", "-1")).succeeded().stdout()
                .isEqualTo("Release Bot: Release " + version + "\n");
        assertThat(repo.list(".")).containsExactlyInAnyOrder(".git", "VERSION");
    }
}
