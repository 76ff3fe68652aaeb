package dev.magpie.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.magpie.sandbox.internal.JvmIdentity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Containers left by dead JVMs are removed; those of live JVMs, other hosts and other owners never. */
@EnabledWithDockerEngine
class StaleContainerSweeperTest {

    private final DockerClient client = DockerEngine.connect(DockerEngine.DEFAULT_PROBE_TIMEOUT).client();
    /**
     * This JVM under a host name of its own: the containers below name it, so that the sweep of any other run on
     * this machine (which judges only its own host's containers) leaves them to this test.
     */
    private final JvmIdentity self = new JvmIdentity("sweeper-test-" + UUID.randomUUID(), JvmIdentity.current().pid(),
            JvmIdentity.current().startMillis());
    private final List<String> created = new ArrayList<>();

    @AfterEach
    void removeWhatIsLeft() {
        for (String id : created) {
            DockerWorkspace.remove(client, id);
        }
    }

    @Test
    void removesTheContainersOfDeadJvmsOfThisHostOnly() throws Exception {
        long deadPid = deadPid();
        String dead = container(owned(self.host(), deadPid + "@" + System.currentTimeMillis()));
        String pidReused = container(owned(self.host(), self.pid() + "@" + (self.startMillis() - 3_600_000)));
        String live = container(owned(self.host(), self.label()));
        String otherHost = container(owned("another-host", deadPid + "@1"));
        Map<String, String> foreign = new LinkedHashMap<>(owned(self.host(), deadPid + "@1"));
        foreign.remove(ContainerLabels.OWNER);
        String notOurs = container(foreign);

        List<String> removed = new StaleContainerSweeper(client, self).sweep();

        assertThat(removed).contains(dead, pidReused).doesNotContain(live, otherHost, notOurs);
        assertThat(exists(dead)).isFalse();
        assertThat(exists(pidReused)).isFalse();
        assertThat(exists(live)).isTrue();
        assertThat(exists(otherHost)).isTrue();
        assertThat(exists(notOurs)).isTrue();
    }

    private static Map<String, String> owned(String host, String jvm) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(ContainerLabels.OWNER, ContainerLabels.OWNER_VALUE);
        labels.put(ContainerLabels.HOST, host);
        labels.put(ContainerLabels.JVM, jvm);
        labels.put("test", StaleContainerSweeperTest.class.getSimpleName());
        return labels;
    }

    private String container(Map<String, String> labels) {
        String id = client.createContainerCmd(DockerEngineCondition.TEST_IMAGE).withEntrypoint("sleep")
                .withCmd("infinity").withLabels(labels).exec().getId();
        created.add(id);
        client.startContainerCmd(id).exec();
        return id;
    }

    private boolean exists(String id) {
        try {
            client.inspectContainerCmd(id).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** The pid of a process that has ended: what a killed JVM leaves in its labels. */
    static long deadPid() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        assertThat(ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
        return process.pid();
    }
}
