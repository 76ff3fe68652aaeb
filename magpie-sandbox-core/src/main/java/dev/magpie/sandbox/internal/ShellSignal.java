package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.ExecRequest;
import java.time.Duration;

/**
 * Signals a background command's processes from a command of their own in the same machine, for providers whose
 * processes this JVM cannot see (a container, a remote sandbox). Needs {@code sh}, {@code tr} and {@code /proc}.
 */
public final class ShellSignal {

    /**
     * Every process whose environment holds the marker gets the signal, and so does the process group it leads (one
     * that left with setsid takes its group along). The rounds repeat for SIGKILL, so that a process forked while
     * the first round ran is caught by the next.
     */
    private static final String SCRIPT = String.join("\n",
            "m=$1; s=$2; rounds=$3; nl='",
            "'",
            "while [ \"$rounds\" -gt 0 ]; do",
            "  rounds=$((rounds - 1)); found=",
            "  for p in /proc/[0-9]*; do",
            "    n=${p#/proc/}; [ \"$n\" = $$ ] && continue",
            "    e=$(tr '\\0' '\\n' < \"$p/environ\" 2>/dev/null) || continue",
            "    case \"$nl$e$nl\" in *\"$nl$m$nl\"*) found=1; kill -s \"$s\" -- \"-$n\" 2>/dev/null;"
                    + " kill -s \"$s\" \"$n\" 2>/dev/null;; esac",
            "  done",
            "  [ -n \"$found\" ] || break",
            "done");

    private ShellSignal() {
    }

    /** The command that sends SIGTERM, or SIGKILL with {@code force}, to the processes carrying {@code marker}. */
    public static ExecRequest request(String marker, boolean force) {
        return ExecRequest.builder("sh", "-c", SCRIPT, "magpie-signal", marker, force ? "KILL" : "TERM",
                force ? "20" : "1").timeout(Duration.ofSeconds(30)).build();
    }
}
