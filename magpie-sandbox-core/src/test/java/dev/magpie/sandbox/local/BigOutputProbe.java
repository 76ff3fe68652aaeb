package dev.magpie.sandbox.local;

import dev.magpie.sandbox.ExecResult;
import java.util.Map;

/** Run in a JVM with a small heap by {@link BigOutputTest}: prints 1 GiB through a workspace. */
public final class BigOutputProbe {

    private BigOutputProbe() {
    }

    public static void main(String[] args) {
        try (LocalWorkspace workspace = LocalWorkspace.temporary(Map.of())) {
            ExecResult result = workspace.shell("head -c 1073741824 /dev/zero | tr '\\0' x; head -c 1073741824 /dev/zero >&2");
            System.out.println("exit=" + result.exitCode() + " truncated=" + result.truncated()
                    + " stdout=" + result.stdout().length() + " stderr=" + result.stderr().length()
                    + " maxHeapMiB=" + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                    + " tail=" + result.stdout().substring(result.stdout().length() - 3));
        }
    }
}
