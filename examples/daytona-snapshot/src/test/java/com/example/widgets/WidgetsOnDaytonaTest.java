package com.example.widgets;

import static dev.magpie.junit.SandboxAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.junit.Sandbox;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.daytona.DaytonaWorkspace;
import org.junit.jupiter.api.Test;

/**
 * The repository test on a remote Daytona sandbox created from a prebuilt snapshot that has the repository in
 * {@code widgets/}. Without {@code DAYTONA_API_KEY} it runs against the local server that
 * {@link LocalDaytonaUnlessConfigured} starts; with it, against Daytona (the snapshot must exist there).
 */
class WidgetsOnDaytonaTest {

    @Test
    void buildsAndPassesItsTests(@Sandbox(provider = "daytona", snapshot = LocalDaytonaUnlessConfigured.SNAPSHOT,
            workingDir = "widgets") Workspace sandbox) {
        assertThat(sandbox.exec("sh", "build.sh")).succeeded().stdout().contains("built 3 widgets");
        assertThat(sandbox.exec("sh", "test.sh")).succeeded().stdout().contains("all widgets priced");
    }

    @Test
    void anEditBreaksTheTestsAndShowsInGit(@Sandbox(provider = "daytona",
            snapshot = LocalDaytonaUnlessConfigured.SNAPSHOT, workingDir = "widgets") DaytonaWorkspace sandbox) {
        sandbox.writeString("src/widgets.csv", sandbox.readString("src/widgets.csv") + "gizmo,\n");

        assertThat(sandbox.exec("git", "status", "--porcelain")).succeeded().stdout().isEqualTo(" M src/widgets.csv\n");
        assertThat(sandbox.exec("sh", "test.sh")).hasExitCode(1).stderr().contains("'gizmo' has no valid price");
        assertThat(sandbox.id()).isNotBlank();
    }
}
