package com.example.widgets;

import static dev.magpie.junit.SandboxAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.junit.Sandbox;
import dev.magpie.sandbox.Workspace;
import org.junit.jupiter.api.Test;

/**
 * The repository test of the repository-tooling example, in a container: the image stands for a prebuilt
 * snapshot (toolchain baked in), the repository is cloned into it, and the container is removed after each test.
 * Skipped, with the reason, where no Docker engine answers; with {@code CI=true} a missing engine fails instead.
 */
class WidgetsInContainerTest {

    /** A Debian image with git, built locally by {@code .ci/docker-setup} (see the README). */
    static final String IMAGE = "magpie/debian-git:bookworm";

    @Test
    void buildsAndPassesItsTests(
            @Sandbox(provider = "docker", snapshot = IMAGE, cloneFrom = "acme/widgets") Workspace sandbox) {
        assertThat(sandbox.workingDir()).isEqualTo("/workspace");
        assertThat(sandbox.exec("sh", "build.sh")).succeeded().stdout().contains("built 3 widgets");
        assertThat(sandbox.exec("sh", "test.sh")).succeeded().stdout().contains("all widgets priced");
        assertThat(sandbox.exec("cat", "/etc/debian_version")).succeeded().stdout().startsWith("12");
    }

    @Test
    void anEditBreaksTheTestsAndShowsInGit(
            @Sandbox(provider = "docker", snapshot = IMAGE, cloneFrom = "acme/widgets") Workspace sandbox) {
        sandbox.writeString("src/widgets.csv", sandbox.readString("src/widgets.csv") + "gizmo,\n");

        assertThat(sandbox.exec("git", "status", "--porcelain")).succeeded().stdout().isEqualTo(" M src/widgets.csv\n");
        assertThat(sandbox.exec("sh", "test.sh")).hasExitCode(1).stderr().contains("'gizmo' has no valid price");
    }
}
