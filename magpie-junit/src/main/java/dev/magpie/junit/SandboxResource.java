package dev.magpie.junit;

import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.spi.WorkspaceProvider;
import java.util.Optional;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A sandbox in the extension store. JUnit closes it when its test or class ends: it publishes the transcript
 * after a failure, then destroys the sandbox or, as the cleanup mode says, keeps it and reports where it is.
 */
final class SandboxResource implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(SandboxExtension.class.getName());

    private final Workspace workspace;
    private final WorkspaceProvider provider;
    private final Declaration declaration;
    private final CleanupMode cleanup;
    private final ExtensionContext context;

    SandboxResource(Workspace workspace, WorkspaceProvider provider, Declaration declaration, CleanupMode cleanup,
                    ExtensionContext context) {
        this.workspace = workspace;
        this.provider = provider;
        this.declaration = declaration;
        this.cleanup = cleanup;
        this.context = context;
    }

    @Override
    public void close() {
        boolean failed = Outcomes.failed(context);
        if (failed) {
            publishTranscript();
        }
        Optional<String> kept = provider.describeKept(workspace);
        if (kept.isPresent() && (cleanup == CleanupMode.NEVER || (cleanup == CleanupMode.ON_SUCCESS && failed))) {
            String message = "Kept the sandbox for " + declaration.description() + " (CleanupMode." + cleanup
                    + "): " + kept.get();
            LOGGER.info(message);
            context.publishReportEntry(Sandbox.KEPT_REPORT_KEY, message);
            return;
        }
        try {
            workspace.destroy();
        } catch (RuntimeException e) {
            throw new WorkspaceException("Could not destroy the sandbox for " + declaration.description() + ", "
                    + kept.orElse(workspace.toString()) + ". Cause: " + e.getMessage(), e);
        }
    }

    private void publishTranscript() {
        String header = "Transcript of the " + workspace.provider() + " sandbox " + workspace.id() + " for "
                + declaration.description();
        String body = workspace.transcript().isEmpty() ? "(no commands were run)\n" : workspace.transcript().render();
        context.publishReportEntry(Sandbox.TRANSCRIPT_REPORT_KEY, header + "\n" + body);
        System.out.print(header + ":\n" + body);
    }
}
