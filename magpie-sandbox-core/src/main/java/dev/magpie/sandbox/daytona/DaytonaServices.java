package dev.magpie.sandbox.daytona;

import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.internal.Ports;
import dev.magpie.sandbox.internal.Probes;
import dev.magpie.sandbox.internal.ServiceHost;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Background processes of a Daytona sandbox: each is a command started asynchronously in a session and followed
 * through its logs (see {@link SessionExec}), signalled by a command in the sandbox, fed live stdin through a named
 * pipe (a session command gets its stdin before it starts). A port is reached at a signed preview URL, which
 * carries HTTP only: the port counts as accepting connections once the preview answers with anything but a gateway
 * error.
 */
final class DaytonaServices implements ServiceHost {

    /** How long an endpoint's signed URL serves: longer than any test keeps a sandbox. */
    private static final java.time.Duration PREVIEW_VALIDITY = java.time.Duration.ofHours(24);

    private final DaytonaClient client;
    private final String sandboxId;
    private final BiFunction<ExecRequest, ExecRequest, ExecResult> exec;
    private final Function<ExecRequest, ExecResult> unrecorded;
    private final Map<Integer, URI> previews = new ConcurrentHashMap<>();

    DaytonaServices(DaytonaClient client, String sandboxId, BiFunction<ExecRequest, ExecRequest, ExecResult> exec,
                    Function<ExecRequest, ExecResult> unrecorded) {
        this.client = client;
        this.sandboxId = sandboxId;
        this.exec = exec;
        this.unrecorded = unrecorded;
    }

    @Override
    public ExecResult run(ExecRequest shown, ExecRequest actual) {
        return exec.apply(shown, actual);
    }

    @Override
    public ExecResult control(ExecRequest request) {
        return unrecorded.apply(request);
    }

    @Override
    public boolean streamsInput() {
        return false;
    }

    @Override
    public URI endpoint(int port) {
        Ports.check(port);
        return previews.computeIfAbsent(port, p -> client.previewUrl(sandboxId, p, PREVIEW_VALIDITY));
    }

    @Override
    public boolean accepts(int port) {
        int status = Probes.status(endpoint(port));
        return status > 0 && status != 502 && status != 503 && status != 504;
    }
}
