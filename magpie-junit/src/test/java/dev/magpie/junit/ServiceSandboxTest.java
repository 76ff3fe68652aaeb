package dev.magpie.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.magpie.sandbox.BackgroundProcess;
import dev.magpie.sandbox.ReadyCheck;
import dev.magpie.sandbox.Workspace;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/** A service a test starts in its sandbox ends with the sandbox, after the test, without the test stopping it. */
class ServiceSandboxTest {

    static final String PID = "pid";

    static class LeavesItsServiceRunning {
        @Test
        void startsAServiceAndForgetsIt(@Sandbox Workspace sandbox, TestReporter reporter) {
            BackgroundProcess service = sandbox.startShell("echo \"pid $$\"; exec sleep 1000");
            service.waitUntilReady(ReadyCheck.line("^pid \\d+$"), Duration.ofSeconds(60));
            String pid = service.recentOutput().strip().substring("pid ".length());
            reporter.publishEntry(PID, pid);
        }
    }

    @Test
    void theExtensionsDestroyStopsTheServicesATestLeftRunning() throws InterruptedException {
        EngineRun run = EngineRun.run(LeavesItsServiceRunning.class);

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
        List<String> pids = run.reported(PID);
        assertThat(pids).hasSize(1);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ProcessHandle.of(Long.parseLong(pids.get(0))).map(ProcessHandle::isAlive).orElse(false)) {
            if (System.nanoTime() > deadline) {
                fail("Expected the service (pid " + pids.get(0) + ") gone once its sandbox was destroyed, but it"
                        + " still runs 10 s after the test");
            }
            Thread.sleep(20);
        }
    }
}
