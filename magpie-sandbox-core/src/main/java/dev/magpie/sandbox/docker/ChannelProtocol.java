package dev.magpie.sandbox.docker;

import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.InvalidInputException;
import dev.magpie.sandbox.WorkspaceException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code sh} program of a command channel and the requests it reads. It needs nothing in the image beyond
 * {@code sh} and coreutils ({@code mktemp}, {@code head}, {@code env}, {@code sleep}, {@code tr}).
 *
 * <p>The program itself arrives first on the channel's stdin. It greets with {@value #HELLO} and its pid on
 * stdout, then reads one request per line. A request is
 * a line of single-quoted shell words, evaluated into the positional parameters: a marker, the directory, the
 * root the directory must stay inside (or empty), the length of stdin, the number of environment variables,
 * their names and values, then the command. Quoting passes every string exactly (newlines travel as
 * {@code "$magpie_nl"}, so a request stays one line); stdin follows the line as raw bytes, copied by
 * {@code head -c} to a file of the channel's own that is emptied once the command has ended.
 *
 * <p>For each command the program writes the marker on stdout, runs the command in a subshell in the background
 * with the channel's own stdout and stderr (one fork and one exec: no copying process in between), waits for it,
 * then writes the marker on stderr and the marker, the exit status and a clean flag on stdout. The marker is 128
 * random bits chosen per command and never given to the command, so its output cannot end the command early.
 * Before reporting, the program looks for processes the command left behind in the channel's process group or
 * holding the channel's streams: their later output would mix into the next command's, so the program reports
 * the channel as used up and exits, and the next command gets a new channel. A process left behind on purpose
 * (a server started in the background) thus costs the next command one engine exec, as every command did before.
 */
final class ChannelProtocol {

    static final String HELLO = "magpie-channel ";
    static final String START_FAILURE = "magpie-exec: cannot start: ";
    static final String NO_DIRECTORY = "magpie-exec: no directory: ";
    static final String OUTSIDE = "magpie-exec: outside: ";

    /** Names start with {@code magpie_} so that they never touch a variable the image exports to commands. */
    static final String SCRIPT = ""
            + "magpie_nl='\n'\n"
            + "magpie_me=$$\n"
            + "magpie_in=\n"
            + "trap '[ -z \"$magpie_in\" ] || rm -f -- \"$magpie_in\"' EXIT\n"
            // Zombies hold nothing; any other process of the group, or one holding our streams, was left behind.
            // Only processes from pid $magpie_from on are looked at: reading each process's entries costs
            // milliseconds in a busy container.
            + "magpie_left_behind() {\n"
            + "  for magpie_p in /proc/[0-9]*; do\n"
            + "    [ \"${magpie_p#/proc/}\" -ge \"$magpie_from\" ] && [ \"$magpie_p\" != /proc/$magpie_me ] || continue\n"
            + "    read -r magpie_x 2>/dev/null < \"$magpie_p/stat\" || continue\n"
            + "    set -- ${magpie_x##*) }\n"
            + "    if [ \"$3\" = \"$magpie_me\" ] && [ \"$1\" != Z ]; then return 1; fi\n"
            + "    for magpie_f in \"$magpie_p\"/fd/*; do\n"
            + "      if [ \"$magpie_f\" -ef /proc/$magpie_me/fd/1 ] || [ \"$magpie_f\" -ef /proc/$magpie_me/fd/2 ];"
            + " then return 1; fi\n"
            + "    done\n"
            + "  done\n"
            + "}\n"
            + "magpie_max=$(cat /proc/sys/kernel/pid_max 2>/dev/null) || magpie_max=0\n"
            + "printf '" + HELLO + "%s\\n' \"$magpie_me\"\n"
            + "while IFS= read -r magpie_line; do\n"
            + "  eval \"set -- $magpie_line\" || exit 3\n"
            + "  magpie_n=$1 magpie_d=$2 magpie_r=$3 magpie_s=$4 magpie_e=$5; shift 5\n"
            + "  magpie_i=/dev/null\n"
            // Stdin waits in a file only this user reads (made at the first need: /tmp may be read-only), emptied
            // once its command has ended.
            + "  if [ \"$magpie_s\" -gt 0 ]; then\n"
            + "    [ -n \"$magpie_in\" ] || magpie_in=$(mktemp \"${TMPDIR:-/tmp}/.magpie-stdin-XXXXXX\") || exit 4\n"
            + "    head -c \"$magpie_s\" > \"$magpie_in\" || exit 4; magpie_i=$magpie_in; fi\n"
            + "  printf '%s' \"$magpie_n\"\n"
            + "  read -r magpie_t0 magpie_x 2>/dev/null < /proc/uptime || magpie_t0=\n"
            + "  (\n"
            // A path that is no directory may still lead out through a symlink: refuse it as such, lest the
            // refusal tell what lies outside.
            + "    cd -- \"$magpie_d\" 2>/dev/null || {\n"
            + "      if [ -n \"$magpie_r\" ] && magpie_h=$(realpath -m -- \"$magpie_d\" 2>/dev/null)"
            + " && magpie_w=$(cd -P -- \"$magpie_r\" && pwd); then\n"
            + "        case $magpie_h in \"$magpie_w\"|\"$magpie_w\"/*) ;; *) printf '" + OUTSIDE + "%s\\n' \"$magpie_h\" >&2;"
            + " exit 126 ;; esac; fi\n"
            + "      printf '" + NO_DIRECTORY + "%s\\n' \"$magpie_d\" >&2; exit 126; }\n"
            // With a root, a directory reached through a symlink must still be inside it.
            + "    if [ -n \"$magpie_r\" ]; then cd -P . && magpie_h=$PWD && cd -P -- \"$magpie_r\" || exit 126\n"
            + "      case $magpie_h in \"$PWD\"|\"$PWD\"/*) ;; *) printf '" + OUTSIDE + "%s\\n' \"$magpie_h\" >&2;"
            + " exit 126 ;; esac\n"
            + "      cd -- \"$magpie_d\" || exit 126; fi\n"
            // A name sh cannot export (spring.profiles.active) moves behind the command, for env(1) to set.
            + "    magpie_v=0; while [ \"$magpie_e\" -gt 0 ]; do\n"
            + "      case $1 in [!A-Za-z_]*|*[!A-Za-z0-9_]*) set -- \"$@\" \"$1=$2\"; magpie_v=$((magpie_v+1)) ;;\n"
            + "        *) export \"$1=$2\" ;; esac; shift 2; magpie_e=$((magpie_e-1)); done\n"
            // The program must be a file: a shell builtin of the same name is never what runs.
            + "    case $1 in */*) [ -f \"$1\" ] && [ -x \"$1\" ] ;;\n"
            + "      *) magpie_f=; IFS=:; for magpie_p in ${PATH:-/usr/bin:/bin}; do\n"
            + "           if [ -f \"$magpie_p/$1\" ] && [ -x \"$magpie_p/$1\" ]; then magpie_f=1; break; fi; done;"
            + " unset IFS; [ -n \"$magpie_f\" ] ;;\n"
            + "    esac || { printf '" + START_FAILURE + "%s\\n' \"$1\" >&2; exit 127; }\n"
            + "    if [ \"$magpie_v\" -gt 0 ]; then magpie_m=$(($# - magpie_v))\n"
            + "      while [ \"$magpie_m\" -gt 0 ]; do set -- \"$@\" \"$1\"; shift; magpie_m=$((magpie_m-1)); done\n"
            + "      exec env -- \"$@\" <\"$magpie_i\"; fi\n"
            + "    exec \"$@\" <\"$magpie_i\"\n"
            + "  ) &\n"
            // sh reports a job killed by a signal ("Killed") on its stderr, which is the command's: not here.
            + "  magpie_first=$!; wait $magpie_first 2>/dev/null; magpie_c=$? magpie_k=0\n"
            + "  [ \"$magpie_s\" = 0 ] || : > \"$magpie_in\"\n"
            // Processes the command started have pids from its first on, unless the pids wrapped around meanwhile:
            // with a million pids to spare and less than a minute gone, they cannot have. Else look at all.
            + "  read -r magpie_t1 magpie_x 2>/dev/null < /proc/uptime || magpie_t1=\n"
            + "  magpie_from=0\n"
            + "  if [ -n \"$magpie_t0\" ] && [ -n \"$magpie_t1\" ] && [ $((magpie_max - magpie_first)) -gt 1000000 ]"
            + " && [ $((${magpie_t1%.*} - ${magpie_t0%.*})) -lt 60 ]; then magpie_from=$magpie_first; fi\n"
            // A process killed at a timeout may still be dying when the command's own process is gone: look twice.
            + "  magpie_left_behind || { sleep 0.1; magpie_left_behind; } || magpie_k=1\n"
            + "  printf '%s' \"$magpie_n\" >&2\n"
            + "  printf '%s %s %s\\n' \"$magpie_n\" \"$magpie_c\" \"$magpie_k\"\n"
            + "  [ \"$magpie_k\" = 0 ] || exit 0\n"
            + "done\n";

    /**
     * Kills, from a separate exec, a timed-out command's processes: those of the channel's process group
     * ({@code $1}, the channel's pid) but the channel itself, and those carrying the command's token ({@code $2})
     * with the groups they lead (they left the group with setsid). With {@code $3 = 1} the channel goes too.
     * Several rounds catch children forked while an earlier round ran. The channel's own child goes last: once it
     * is gone the channel looks for what was left behind, and the rest should be gone by then.
     */
    static final String KILLER = ""
            // Stopped first, all of them, the command's own process included: a shell that sees its children die
            // would report "Killed" into the command's stderr. Killed next, the command's own process last.
            + "last=\n"
            + "for sig in STOP KILL; do for round in 1 2 3; do for p in /proc/[0-9]*; do\n"
            + "  q=${p#/proc/}; [ \"$q\" = \"$1\" ] && continue\n"
            + "  read -r x 2>/dev/null < \"$p/stat\" || continue\n"
            + "  x=${x##*) }; x=${x#* }; parent=${x%% *}; x=${x#* }; group=${x%% *}\n"
            + "  if [ \"$group\" = \"$1\" ]; then\n"
            + "    if [ \"$parent\" = \"$1\" ] && [ $sig = KILL ]; then last=\"$last $q\";"
            + " else kill -$sig \"$q\" 2>/dev/null; fi; continue; fi\n"
            + "  case $(tr '\\0' '\\n' 2>/dev/null < \"$p/environ\") in *\"" + ContainerExec.TOKEN_VARIABLE
            + "=$2\"*)\n"
            + "    kill -$sig -\"$q\" 2>/dev/null; kill -$sig \"$q\" 2>/dev/null ;; esac\n"
            + "done; done; done\n"
            + "for q in $last; do kill -9 \"$q\" 2>/dev/null; done\n"
            + "if [ \"$3\" = 1 ]; then kill -9 \"$1\" 2>/dev/null; fi\n"
            + "true\n";

    private ChannelProtocol() {
    }

    /**
     * One command's request: its line, then exactly the stated number of stdin bytes, streamed. Stdin of unknown
     * length is spooled to a temporary file first (never to memory), since the line states the length.
     */
    static final class Request implements AutoCloseable {
        private final byte[] line;
        private final long stdinLength;
        private final ExecRequest exec;
        private final Path spooled;

        private Request(byte[] line, long stdinLength, ExecRequest exec, Path spooled) {
            this.line = line;
            this.stdinLength = stdinLength;
            this.exec = exec;
            this.spooled = spooled;
        }

        /** The bytes to send, from the start; opened again when a request is sent a second time. */
        InputStream open() {
            if (stdinLength == 0) {
                return new ByteArrayInputStream(line);
            }
            InputStream stdin;
            try {
                stdin = spooled != null ? Files.newInputStream(spooled) : exec.openStdin();
            } catch (IOException e) {
                throw new WorkspaceException("Could not read the spooled stdin of " + exec.command().get(0) + ": "
                        + e.getMessage() + ". Check the temporary directory.", e);
            }
            return new SequenceInputStream(new ByteArrayInputStream(line), new ExactLength(stdin, stdinLength));
        }

        @Override
        public void close() {
            if (spooled != null) {
                try {
                    Files.deleteIfExists(spooled);
                } catch (IOException e) {
                    // a leftover in the temporary directory; nothing depends on it
                }
            }
        }
    }

    /** The request line and stdin for one command. */
    static Request request(String marker, String directory, String root, ExecRequest request, String token) {
        Path spooled = null;
        long stdinLength = request.stdinLength().orElse(0);
        if (request.hasStdin() && request.stdinLength().isEmpty()) {
            try {
                spooled = Files.createTempFile("magpie-stdin-", "");
                try (InputStream in = request.openStdin()) {
                    Files.copy(in, spooled, StandardCopyOption.REPLACE_EXISTING);
                }
                stdinLength = Files.size(spooled);
            } catch (IOException e) {
                Request cleanup = new Request(new byte[0], 0, request, spooled);
                cleanup.close();
                throw new WorkspaceException("Could not spool the stdin of " + request.command().get(0) + " to a "
                        + "temporary file: " + e.getMessage() + ". Check the space left in the temporary directory.", e);
            }
        }
        List<String> words = new ArrayList<>();
        words.add(marker);
        words.add(directory);
        words.add(root);
        words.add(Long.toString(stdinLength));
        words.add(Integer.toString(request.env().size() + 1));
        for (Map.Entry<String, String> variable : request.env().entrySet()) {
            words.add(variable.getKey());
            words.add(variable.getValue());
        }
        words.add(ContainerExec.TOKEN_VARIABLE);
        words.add(token);
        words.addAll(request.command());
        StringBuilder line = new StringBuilder();
        for (String word : words) {
            line.append(line.length() == 0 ? "" : " ").append(quote(word, request));
        }
        return new Request(line.append('\n').toString().getBytes(StandardCharsets.UTF_8), stdinLength, request,
                spooled);
    }

    /** Exactly {@code length} bytes of a stream: a file that grew is cut, one that shrank fails the channel. */
    private static final class ExactLength extends InputStream {
        private final InputStream in;
        private long left;

        ExactLength(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (left == 0) {
                return -1;
            }
            int read = in.read(into, offset, (int) Math.min(length, left));
            if (read < 0) {
                throw new IOException("stdin ended " + left + " bytes before the length the request stated");
            }
            left -= read;
            return read;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** One shell word meaning exactly {@code value}. */
    static String quote(String value, ExecRequest request) {
        if (value.indexOf('\0') >= 0) {
            throw new InvalidInputException("A command line and its environment cannot carry a NUL character,"
                    + " but " + request.command() + " has one in '" + value.replace("\0", "\\0")
                    + "'. Pass binary data through stdin or a file instead.");
        }
        return "'" + value.replace("'", "'\\''").replace("\n", "'\"$magpie_nl\"'") + "'";
    }
}
