package dev.magpie.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.sandbox.internal.Cgroups;
import dev.magpie.sandbox.internal.JvmIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process-count groups a killed JVM left are removed by a later JVM; a live JVM's and another host's are not. */
class ProcessCountGroupTest {

    @Test
    void theSweepRemovesTheGroupsOfEndedJvmsOfThisHostOnly(@TempDir Path magpie) throws Exception {
        JvmIdentity self = JvmIdentity.current();
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Path ofAnEndedJvm = Files.createDirectories(magpie.resolve(Cgroups.nameOf(
                new JvmIdentity(self.host(), ended.pid(), self.startMillis()))).resolve("workspace-1"));
        Path ofThisJvm = Files.createDirectories(magpie.resolve(Cgroups.nameOf(self)).resolve("workspace-2"));
        Path ofAnotherHost = Files.createDirectories(magpie.resolve(Cgroups.nameOf(
                new JvmIdentity("elsewhere.example", ended.pid(), self.startMillis()))));

        assertThat(ProcessCountGroup.sweepStale(magpie, self)).containsExactly(ofAnEndedJvm.getParent());

        assertThat(ofAnEndedJvm.getParent()).doesNotExist();
        assertThat(ofThisJvm).isDirectory();
        assertThat(ofAnotherHost).isDirectory();
    }
}
