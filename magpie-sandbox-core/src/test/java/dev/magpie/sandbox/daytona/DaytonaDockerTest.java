package dev.magpie.sandbox.daytona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The local server with container sandboxes: the same client, now against a Debian container per sandbox.
 * Skipped where no Docker engine has the image (set {@code magpie.daytona.test-image} to use another).
 */
class DaytonaDockerTest {

    static final String IMAGE = System.getProperty("magpie.daytona.test-image", "magpie/debian-git:bookworm");

    @RegisterExtension
    static final LocalDaytona DAYTONA = new LocalDaytona(Duration.ofMillis(100), IMAGE);

    @Test
    void aWorkspaceRunsInItsOwnContainerAndIsRemovedWithIt() throws Exception {
        String id;
        try (DaytonaWorkspace ws = DAYTONA.gitWorkspace()) {
            id = ws.id();
            assertThat(ws.workingDir()).isEqualTo("/home/daytona/widgets");
            assertThat(ws.shell("cat /etc/os-release").stdout()).contains("Debian");
            ExecResult status = ws.exec("git", "status", "--short");
            assertThat(status.exitCode()).isZero();
            assertThat(status.stdout()).isEmpty();
            assertThat(ws.exec("git", "config", "user.name").stdout()).isEqualTo("Magpie\n");

            ws.writeString("notes/a.txt", "from the host");
            assertThat(ws.shell("cat notes/a.txt; echo err >&2").stdout()).isEqualTo("from the host");
            assertThat(ws.exec(ExecRequest.builder("cat").stdin("piped").build()).stdout()).isEqualTo("piped");
            assertThat(ws.list("notes")).containsExactly("a.txt");

            ExecResult slow = ws.exec(ExecRequest.builder("sh", "-c", "echo $$ > slow.pid; exec sleep 1000")
                    .timeout(Duration.ofSeconds(1)).build());
            assertThat(slow.timedOut()).isTrue();
            assertThat(ws.exists("slow.pid")).as("the command wrote its pid before its timeout").isTrue();
            String alive = "p=$(cat slow.pid); s=$(cut -d' ' -f3 /proc/$p/stat 2>/dev/null);"
                    + " [ -z \"$s\" ] || [ \"$s\" = Z ] || echo \"pid $p in state $s\"";
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            for (String left = ws.shell(alive).stdout(); !left.isEmpty(); left = ws.shell(alive).stdout()) {
                if (System.nanoTime() > deadline) {
                    fail("The timed-out command still runs 5 s after its timeout: " + left);
                }
                Thread.sleep(20);
            }
        }
        assertThat(containers(id)).isEmpty();
    }

    private static String containers(String sandboxId) throws Exception {
        Process p = new ProcessBuilder("docker", "ps", "-a", "-q", "--filter", "name=magpie-daytona-" + sandboxId)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
