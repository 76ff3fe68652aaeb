package dev.magpie.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.NetworkSettings;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.Ports;
import dev.magpie.sandbox.internal.ServiceHost;
import dev.magpie.sandbox.internal.ShellSignal;
import java.net.URI;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Background processes of a container: signalled by a command in the container, which sees their environments and
 * runs as root, so that it reaches the processes of any user; fed live stdin through a named pipe, as the channel
 * delivers stdin only before a command starts, by helper commands that run as the container's user, the owner of
 * the pipe, so that nothing the command's user controls (a link in place of the pipe) is opened with root's rights. Their ports are reached at the container's
 * address on the engine's network, which needs no port published when the container is created and no helper
 * container, so it works wherever this JVM shares a network with the engine's bridge (Linux engines, and a JVM in
 * a container of the same engine); an engine in a virtual machine (Docker Desktop) does not route it.
 */
final class DockerServices implements ServiceHost {

    private final DockerClient client;
    private final String containerId;
    private final BiFunction<ExecRequest, ExecRequest, ExecResult> exec;
    private final Function<ExecRequest, ExecResult> unrecorded;
    private final Function<ExecRequest, ExecResult> asRoot;
    private volatile String address;

    DockerServices(DockerClient client, String containerId, BiFunction<ExecRequest, ExecRequest, ExecResult> exec,
                   Function<ExecRequest, ExecResult> unrecorded, Function<ExecRequest, ExecResult> asRoot) {
        this.client = client;
        this.containerId = containerId;
        this.exec = exec;
        this.unrecorded = unrecorded;
        this.asRoot = asRoot;
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
    public void signal(String marker, boolean force) {
        ServiceHost.checkSignalled(asRoot.apply(ShellSignal.request(marker, force)));
    }

    @Override
    public boolean streamsInput() {
        return false;
    }

    @Override
    public URI endpoint(int port) {
        Ports.check(port);
        if (address == null) {
            address = address();
        }
        return URI.create("http://" + address + ":" + port);
    }

    private String address() {
        NetworkSettings settings = client.inspectContainerCmd(containerId).exec().getNetworkSettings();
        Map<String, ContainerNetwork> networks = settings == null ? null : settings.getNetworks();
        if (networks != null) {
            for (ContainerNetwork network : networks.values()) {
                String ip = network.getIpAddress();
                if (ip != null && !ip.isEmpty()) {
                    return ip;
                }
            }
        }
        throw new WorkspaceException("Container " + containerId + " has no network address, so its ports cannot"
                + " be reached from this JVM (networks: " + (networks == null ? "none" : networks.keySet()) + ")."
                + " Give it a network: " + dev.magpie.sandbox.NetworkPolicy.KEY + " = host, or network(true) on"
                + " its builder.");
    }
}
