package dev.magpie.daytona.server.sdk;

import dev.magpie.daytona.server.DaytonaServer;
import java.io.IOException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The git scenario of {@link SdkGitTest} on sandboxes that are Docker containers: git runs in the container, on
 * paths under {@code /home/daytona}; skipped without a Docker engine that has the image.
 */
class SdkGitDockerTest {

    private static final String IMAGE = "magpie/debian-git:bookworm";

    @RegisterExtension
    static final OfficialSdk SDK = new OfficialSdk(builder -> {
        Assumptions.assumeTrue(DaytonaServer.dockerAvailable(IMAGE), "no Docker engine with image " + IMAGE + " here");
        return builder.snapshot(SdkGitTest.SNAPSHOT, GitFixture.template(SdkGitDockerTest.class)).docker(IMAGE);
    });

    @Test
    void drivesARepositoryInAContainerThroughTheSdk() throws IOException {
        SdkGitTest.drive(SDK);
    }
}
