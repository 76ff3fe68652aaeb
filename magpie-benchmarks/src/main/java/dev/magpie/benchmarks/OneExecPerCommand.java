package dev.magpie.benchmarks;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.model.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;

/**
 * The baseline the command channel replaced: one engine exec per command (create, start with attached streams,
 * inspect for the exit code), started through the same {@code sh} wrapper the library used, with the same
 * per-command token in the environment. Kept here only to measure against; the library no longer has it.
 */
final class OneExecPerCommand {

    private static final String WRAPPER = ""
            + "cd -- \"$1\" 2>/dev/null || exit 126\n"
            + "shift 3\n"
            + "case $1 in */*) [ -f \"$1\" ] && [ -x \"$1\" ] ;;\n"
            + "  *) found=; IFS=:; for d in ${PATH:-/usr/bin:/bin}; do\n"
            + "       if [ -f \"$d/$1\" ] && [ -x \"$d/$1\" ]; then found=1; break; fi; done; unset IFS; [ -n \"$found\" ] ;;\n"
            + "esac || exit 127\n"
            + "exec 3<&0; exec \"$@\" <&3 3<&- & exec 3<&-; wait $!\n";

    private final DockerClient client;
    private final String containerId;

    OneExecPerCommand(String containerId) {
        this.client = DockerClientProviderStrategy.getClientForConfig(
                DockerClientFactory.instance().getTransportConfig());
        this.containerId = containerId;
    }

    /** Runs the command in {@code directory} and returns its exit code; output is read and dropped. */
    int run(String directory, String... command) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", WRAPPER, "magpie-exec", directory, "", ""));
        argv.addAll(List.of(command));
        String execId = client.execCreateCmd(containerId).withCmd(argv.toArray(String[]::new))
                .withEnv(List.of("MAGPIE_EXEC_ID=" + UUID.randomUUID())).withAttachStdout(true)
                .withAttachStderr(true).exec().getId();
        try {
            client.execStartCmd(execId).exec(new ResultCallback.Adapter<Frame>()).awaitCompletion(60, TimeUnit.SECONDS);
            for (int attempt = 0; attempt < 200; attempt++) {
                InspectExecResponse state = client.inspectExecCmd(execId).exec();
                if (!Boolean.TRUE.equals(state.isRunning()) && state.getExitCodeLong() != null) {
                    return state.getExitCodeLong().intValue();
                }
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("no exit code for exec " + execId);
    }
}
