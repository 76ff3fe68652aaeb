package dev.magpie.sandbox.conformance;

import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.daytona.DaytonaCreateRequest;
import dev.magpie.sandbox.daytona.DaytonaWorkspace;
import java.util.Map;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract on Daytona sandboxes of the local Daytona-compatible server. The cases overridden here fail today
 * because of faults of the Daytona provider, each named in its reason; remove the override with the fix.
 */
class DaytonaConformanceTest extends WorkspaceConformance {

    @RegisterExtension
    static final LocalDaytonaServer DAYTONA = new LocalDaytonaServer();

    @Override
    protected Workspace create(Map<String, String> env) {
        return DaytonaWorkspace.create(DAYTONA.client(), DaytonaCreateRequest.builder().env(env).build(), null);
    }

    @Test
    @Disabled("Fault: a missing subdirectory is not refused; the command line's 'cd' fails and exec returns exit 2 with"
            + " the shell's 'can't cd' on stderr, instead of throwing a WorkspaceException naming the subdirectory")
    @Override
    public void aMissingSubdirectoryIsAnErrorNamingIt() {
    }

    @Test
    @Disabled("Fault: stdin travels inline, base64 in the one shell argument of the session command, so stdin past"
            + " about 96 KiB exceeds the kernel's 128 KiB argument limit and the toolbox answers HTTP 500")
    @Override
    public void aLargeStdinIsFedWhole() {
    }
}
