package dev.magpie.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fallback where there are no cgroups: processes found by their working directory or a marker alone. */
class ProcessTreeTest {

    @Test
    void killsADaemonWithAnEmptyEnvironmentByItsWorkingDirectory(@TempDir Path dir) throws Exception {
        Path work = Files.createDirectories(dir.resolve("work/inner")).toRealPath();
        new ProcessBuilder("sh", "-c", "(setsid env -i sh -c 'echo $$ > ../daemon.pid; exec sleep 1021' "
                + "</dev/null >/dev/null 2>&1 &)").directory(work.toFile()).start().waitFor();
        Path pidFile = work.resolveSibling("daemon.pid");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!Files.exists(pidFile) || Files.size(pidFile) == 0) {
            assertThat(System.nanoTime()).as("daemon started within 5 s").isLessThan(deadline);
            Thread.sleep(10);
        }
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        Optional<ProcessHandle> daemon = ProcessHandle.of(pid);
        assertThat(daemon).isPresent();

        ProcessTree.killWorkingIn(work.getParent());

        assertThat(daemon.get().onExit().get(5, java.util.concurrent.TimeUnit.SECONDS).isAlive()).isFalse();
    }

    @Test
    void killsTheProcessesMarkedWithAJvmThatIsGoneAndSparesTheOthers() throws Exception {
        ProcessBuilder sleeper = new ProcessBuilder("sleep", "1022");
        sleeper.environment().put("MAGPIE_JVM", "4194305@1");
        Process orphan = sleeper.start();
        sleeper.environment().put("MAGPIE_JVM", JvmIdentity.current().label());
        Process ours = sleeper.start();
        try {
            int killed = ProcessTree.killWhere("MAGPIE_JVM", label -> !JvmIdentity.parse("h", label).orElseThrow()
                    .isAlive());

            assertThat(killed).isEqualTo(1);
            assertThat(orphan.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(ours.isAlive()).isTrue();
        } finally {
            orphan.destroyForcibly();
            ours.destroyForcibly();
        }
    }
}
