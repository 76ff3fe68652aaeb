package dev.magpie.sandbox.conformance;

import java.io.IOException;
import java.net.ServerSocket;
import okhttp3.OkHttpClient;

/**
 * The small HTTP server the service cases start, in Perl (part of every Debian-like base image, Perl-base included):
 * it prints {@code listening on PORT}, answers {@code hello} to any request, and exits with status 7 on
 * {@code GET /exit}. It also leaves a child ({@code sleep}) whose pid it writes to {@code child}, beside its own in
 * {@code main}, so that the cases can check the whole tree ends.
 */
final class TestServer {

    /** The one client the cases call servers with. */
    static final OkHttpClient HTTP = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();

    private static final String PERL = String.join(" ",
            "use IO::Socket::INET; $| = 1;",
            "my $s = IO::Socket::INET->new(LocalAddr => '0.0.0.0', LocalPort => $ARGV[0], Listen => 16,",
            "  ReuseAddr => 1) or die \"cannot listen on $ARGV[0]: $!\\n\";",
            "print \"listening on $ARGV[0]\\n\";",
            "while (my $c = $s->accept) { my $l = <$c>; while (<$c>) { last if /^\\r?$/ }",
            "  print $c \"HTTP/1.0 200 OK\\r\\nContent-Type: text/plain\\r\\nContent-Length: 6\\r\\n\\r\\nhello\\n\";",
            "  close $c; exit 7 if $l =~ m{^GET /exit }; }");

    private TestServer() {
    }

    /** The script to start in a directory of the workspace, serving {@code port}. */
    static String script(int port) {
        return "echo $$ > main; sleep 1000 & echo $! > child; exec perl -e '" + PERL.replace("'", "'\\''") + "' "
                + port;
    }

    /** A port free on this machine now (the local providers share its ports). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port on this machine: " + e, e);
        }
    }
}
