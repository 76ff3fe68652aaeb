package dev.magpie.sandbox.local;

import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.internal.Ports;
import dev.magpie.sandbox.internal.ProcessTree;
import dev.magpie.sandbox.internal.ServiceHost;
import java.net.URI;
import java.util.function.BiFunction;

/**
 * Background processes of a local workspace: they are processes of this machine, so they are signalled from here
 * through {@code /proc}, isolated or not (a sandbox's processes keep the marker in their environment, and the
 * sandbox ends with its first process), and their stdin is a pipe fed while they run.
 */
final class LocalServices implements ServiceHost {

    private final LocalWorkspace workspace;
    private final BiFunction<ExecRequest, ExecRequest, ExecResult> exec;

    LocalServices(LocalWorkspace workspace, BiFunction<ExecRequest, ExecRequest, ExecResult> exec) {
        this.workspace = workspace;
        this.exec = exec;
    }

    static URI loopback(int port) {
        return URI.create("http://127.0.0.1:" + Ports.check(port));
    }

    @Override
    public ExecResult run(ExecRequest shown, ExecRequest actual) {
        return exec.apply(shown, actual);
    }

    /** Never called: signals go through {@code /proc} from here, and stdin is a pipe fed from here. */
    @Override
    public ExecResult control(ExecRequest request) {
        throw new UnsupportedOperationException("a local workspace runs no helper command for its background"
                + " processes");
    }

    @Override
    public void signal(String marker, boolean force) {
        if (force) {
            ProcessTree.killMarked(marker);
        } else {
            ProcessTree.terminateMarked(marker);
        }
    }

    /** This JVM reads the environments of its own processes, isolated or not: they need no other mark. */
    @Override
    public ExecRequest marked(ExecRequest actual, String marker) {
        return actual;
    }

    @Override
    public boolean streamsInput() {
        return true;
    }

    @Override
    public URI endpoint(int port) {
        return workspace.endpoint(port);
    }
}
