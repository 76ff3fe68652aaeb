package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.CommandStartException;
import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import java.time.Duration;

/**
 * Signals a background command's processes from a command of their own in the same machine, for providers whose
 * processes this JVM cannot see (a container, a remote sandbox). Needs {@code sh}, {@code tr} and {@code /proc}.
 */
public final class ShellSignal {

    /**
     * Every process whose environment or arguments hold the marker as a whole entry gets the signal, and so do its
     * descendants (found through the parent pids in {@code /proc/PID/stat}) and the process groups of them all (one
     * that left with setsid takes its group along). The environment is not readable across user namespaces (a
     * sandbox per command), which is why the command runs under a shell carrying the marker among its arguments
     * ({@link #marked}); the environment still finds a daemon that left the tree. The marker is looked for as a
     * pattern that is not the marker itself, so that the search never finds its own arguments. For SIGKILL the
     * processes found are stopped (SIGSTOP) and looked for again until no new one appears, then all of them are
     * killed, those stopped in an earlier round too: a child forked between a look and the kill would otherwise lose
     * its killed parent, and with it the only way to find it where environments cannot be read. The rounds end after
     * 20 s, well within the helper's timeout, so that what was stopped is always killed. Each process is walked once.
     * Needs {@code grep} with {@code -z}, and says so when it has none; pid 1 is never signalled.
     */
    private static final String SCRIPT = String.join("\n",
            "name=$1; value=$2; s=$3; held=; all=; rounds=50; until=$(($(date +%s) + 20))",
            "printf 'a\\0' | grep -qxz a || { echo 'magpie-signal: needs grep with -z' >&2; exit 3; }",
            "while [ \"$rounds\" -gt 0 ]; do",
            "  rounds=$((rounds - 1)); found=; kids=",
            "  for f in $(grep -lsxz -e \"$name[=]$value\" /proc/[0-9]*/environ /proc/[0-9]*/cmdline); do",
            "    n=${f#/proc/}; n=${n%%/*}; [ \"$n\" = $$ ] || [ \"$n\" = 1 ] || found=\"$found $n\"",
            "  done",
            "  if [ \"$s\" = KILL ]; then for n in $found; do kill -s STOP \"$n\" 2>/dev/null; done; fi",
            "  for p in /proc/[0-9]*; do",
            "    read -r st 2>/dev/null < \"$p/stat\" || continue",
            "    st=${st##*) }; set -- $st; kids=\"$kids$2:${p#/proc/} \"",
            "  done",
            "  all=; next=",
            "  for n in $found $held; do",
            "    case \" $all \" in *\" $n \"*) ;; *) all=\"$all $n\"; next=\"$next $n\";; esac",
            "  done",
            "  while [ -n \"$next\" ]; do",
            "    now=\" $next \"; next=",
            "    for k in $kids; do",
            "      case \"$now\" in *\" ${k%%:*} \"*)",
            "        c=${k#*:}; case \" $all \" in *\" $c \"*) ;; *) all=\"$all $c\"; next=\"$next $c\";; esac;;",
            "      esac",
            "    done",
            "  done",
            "  [ \"$s\" = KILL ] || break",
            "  new=",
            "  for n in $all; do case \" $held \" in *\" $n \"*) ;; *) new=\"$new $n\";; esac; done",
            "  [ -n \"$new\" ] || break",
            "  for n in $new; do kill -s STOP \"$n\" 2>/dev/null; done",
            "  held=\"$held $new\"",
            "  [ \"$(date +%s)\" -lt \"$until\" ] || break",
            "done",
            "for n in $all $held; do kill -s \"$s\" -- \"-$n\" 2>/dev/null; kill -s \"$s\" \"$n\" 2>/dev/null; done",
            "exit 0");
    private static final String CANNOT_START = "magpie: cannot start: ";
    /**
     * Passes the exit status on rather than exec'ing the command, so that the marked shell stays its parent; a
     * SIGTERM meant for the command does not end the shell before the command ends (a handler, not an ignored
     * signal, which the command would inherit).
     */
    private static final String WRAPPER = String.join("\n",
            "trap : TERM",
            "command -v \"$1\" > /dev/null 2>&1 || { echo \"" + CANNOT_START + "$1\" >&2; exit 127; }",
            "\"$@\"",
            "exit $?");

    private ShellSignal() {
    }

    /** The command that sends SIGTERM, or SIGKILL with {@code force}, to the processes carrying {@code marker}. */
    public static ExecRequest request(String marker, boolean force) {
        int equals = marker.indexOf('=');
        return ExecRequest.builder("sh", "-c", SCRIPT, "magpie-signal", marker.substring(0, equals),
                marker.substring(equals + 1), force ? "KILL" : "TERM")
                .timeout(Duration.ofSeconds(30)).build();
    }

    /**
     * The request that runs {@code request} under a shell whose {@code $0} is {@code marker}, which stays the
     * command's parent, so that {@link #request} finds the command where its environment cannot be read.
     */
    public static ExecRequest marked(ExecRequest request, String marker) {
        ExecRequest.Builder wrapped = ExecRequest.builder("sh", "-c", WRAPPER, marker)
                .arg(request.command().toArray(String[]::new)).env(request.env())
                .outputLimit(request.outputLimit()).listener(request.listener()).timeout(request.timeout().orElse(null));
        request.subdirectory().ifPresent(wrapped::subdirectory);
        if (request.hasStdin()) {
            wrapped.stdin(request::openStdin);
        }
        return wrapped.build();
    }

    /** Throws the {@link CommandStartException} of a command that {@link #marked} wrapped and that could not start. */
    public static void checkStarted(ExecRequest request, ExecResult ran) {
        if (ran.exitCode() == 127 && ran.stderr().startsWith(CANNOT_START)) {
            throw new CommandStartException(request.command().get(0), "not found or not executable", null);
        }
    }
}
