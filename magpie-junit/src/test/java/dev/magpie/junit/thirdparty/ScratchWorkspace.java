package dev.magpie.junit.thirdparty;

import dev.magpie.sandbox.BackgroundProcess;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.ProviderId;
import dev.magpie.sandbox.Transcript;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.local.LocalWorkspace;
import java.net.URI;
import java.util.List;

/**
 * A workspace of a provider that is not part of the library, as a third party would write one: it lives in a
 * package the extension has never heard of and keeps its files in a temporary local directory.
 */
public final class ScratchWorkspace implements Workspace {

    static final ProviderId SCRATCH = ProviderId.of("scratch");

    private final LocalWorkspace directory;
    private final String label;

    ScratchWorkspace(LocalWorkspace directory, String label) {
        this.directory = directory;
        this.label = label;
    }

    /** What the spec's snapshot said, to show the provider received the spec. */
    public String label() {
        return label;
    }

    @Override
    public ProviderId provider() {
        return SCRATCH;
    }

    @Override
    public String id() {
        return directory.id(); // the id its errors name, as the conformance suite requires
    }

    @Override
    public String workingDir() {
        return directory.workingDir();
    }

    @Override
    public ExecResult exec(ExecRequest request) {
        return directory.exec(request);
    }

    @Override
    public BackgroundProcess start(ExecRequest request) {
        return directory.start(request);
    }

    @Override
    public URI endpoint(int port) {
        return directory.endpoint(port);
    }

    @Override
    public byte[] readFile(String path) {
        return directory.readFile(path);
    }

    @Override
    public void writeFile(String path, byte[] content) {
        directory.writeFile(path, content);
    }

    @Override
    public boolean exists(String path) {
        return directory.exists(path);
    }

    @Override
    public List<String> list(String path) {
        return directory.list(path);
    }

    @Override
    public void delete(String path) {
        directory.delete(path);
    }

    @Override
    public Transcript transcript() {
        return directory.transcript();
    }

    @Override
    public void destroy() {
        directory.destroy();
    }
}
