package com.example.widgets;

import static dev.magpie.junit.SandboxAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.junit.Sandbox;
import dev.magpie.sandbox.Workspace;
import org.junit.jupiter.api.Test;

/**
 * Runs a repository's own build and test commands in a fresh clone, edits a file and checks the change with git.
 * Each test gets its own clone, deleted afterwards.
 */
class WidgetsRepositoryTest {

    @Test
    void buildsAndPassesItsTests(@Sandbox(cloneFrom = "acme/widgets") Workspace sandbox) {
        assertThat(sandbox.exec("sh", "build.sh")).succeeded().stdout().contains("built 3 widgets");
        assertThat(sandbox.exec("sh", "test.sh")).succeeded().stdout().contains("all widgets priced");
        assertThat(sandbox.readString("build/catalogue.csv")).startsWith("bolt,3\ngear,12\n");
    }

    @Test
    void anEditBreaksTheTestsAndShowsInGit(@Sandbox(cloneFrom = "acme/widgets") Workspace sandbox) {
        sandbox.writeString("src/widgets.csv", sandbox.readString("src/widgets.csv") + "gizmo,\n");

        assertThat(sandbox.exec("git", "status", "--porcelain")).succeeded().stdout().isEqualTo(" M src/widgets.csv\n");
        assertThat(sandbox.exec("git", "diff", "--", "src/widgets.csv")).succeeded().stdout().contains("+gizmo,");
        assertThat(sandbox.exec("sh", "test.sh")).hasExitCode(1).stderr().contains("'gizmo' has no valid price");
    }

    @Test
    void checksOutATag(@Sandbox(cloneFrom = "acme/widgets", ref = "v1.0") Workspace sandbox) {
        assertThat(sandbox.exec("sh", "build.sh")).succeeded().stdout().contains("built 2 widgets");
        assertThat(sandbox.exec("git", "describe", "--tags")).succeeded().stdout().isEqualTo("v1.0\n");
    }
}
