package dev.magpie.daytona.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the server until interrupted:
 * {@code java -jar magpie-daytona-server-<version>-standalone.jar --port 3000 --api-key KEY}.
 * Run with {@code --help} for every option.
 */
public final class ServerMain {

    static final String USAGE = String.join("\n",
            "Usage: java -jar magpie-daytona-server-<version>-standalone.jar [options]",
            "  --port N               port to listen on (default 0: a free one, printed)",
            "  --host ADDR            address to bind (default 127.0.0.1)",
            "  --api-key KEY          bearer key clients must send (default: $DAYTONA_API_KEY, else random, printed)",
            "  --start-delay D        time for a sandbox to turn started, e.g. 500ms, 2s (default 0)",
            "  --interval-minute D    how long a minute of auto-stop/auto-delete intervals lasts (default 1m)",
            "  --snapshot NAME[=DIR]  a known snapshot, optionally copied from DIR into each sandbox (repeatable)",
            "  --root DIR             where sandbox directories go (default: a temporary directory)",
            "  --docker IMAGE         run each sandbox in a container of IMAGE (default: processes of this machine)",
            "  --isolation MODE       namespaces (bubblewrap: commands see /home/daytona) or none (default:",
            "                         namespaces where bubblewrap works here)",
            "  --rate-limit N         requests per minute per bucket before 429 (default 10000)",
            "  --fault SPEC           an injected fault (repeatable), one of:",
            "                           status=CODE[,times=N][,method=M][,path=REGEX]",
            "                           rate-limit=BUCKET[,retry-after=S][,times=N]",
            "                           drop-reply[,times=N][,method=M][,path=REGEX]",
            "                           start-error=REASON[,times=N]",
            "                           delay=D[,times=N][,method=M][,path=REGEX]  (D before each request, e.g. 50ms)");

    private ServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        DaytonaServer.Builder builder;
        boolean randomKey;
        try {
            builder = DaytonaServer.builder();
            randomKey = configure(builder, args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        DaytonaServer server = builder.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        System.out.println("Daytona-compatible server listening");
        System.out.println("  DAYTONA_API_URL=" + server.baseUrl());
        System.out.println("  DAYTONA_API_KEY=" + (randomKey ? server.apiKey() : "<the key you passed>"));
        System.out.println("Press Ctrl+C to stop; every sandbox is deleted on exit.");
        stopped.await();
    }

    /** Applies the options; returns whether the key is a random one. */
    static boolean configure(DaytonaServer.Builder builder, String[] args) {
        String key = System.getenv("DAYTONA_API_KEY");
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                System.out.println(USAGE);
                System.exit(0);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--port": builder.port(number(option, value)); break;
                case "--host": builder.host(value); break;
                case "--api-key": key = value; break;
                case "--start-delay": builder.startDelay(duration(value)); break;
                case "--interval-minute": builder.intervalMinute(duration(value)); break;
                case "--root": builder.root(Path.of(value)); break;
                case "--docker": builder.docker(value); break;
                case "--isolation": builder.isolation(value); break;
                case "--rate-limit": builder.rateLimitPerMinute(number(option, value)); break;
                case "--snapshot":
                    int eq = value.indexOf('=');
                    if (eq < 0) {
                        builder.snapshot(value);
                    } else {
                        builder.snapshot(value.substring(0, eq), Path.of(value.substring(eq + 1)));
                    }
                    break;
                case "--fault": builder.fault(fault(value)); break;
                default: throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (key != null && !key.isBlank()) {
            builder.apiKey(key);
            return false;
        }
        return true;
    }

    /** Parses a {@code --fault} value. */
    static Fault fault(String spec) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            int eq = part.indexOf('=');
            fields.put(eq < 0 ? part.trim() : part.substring(0, eq).trim(), eq < 0 ? "" : part.substring(eq + 1));
        }
        String kind = fields.keySet().iterator().next();
        Fault fault;
        switch (kind) {
            case "status": fault = Fault.status(number("status", fields.get(kind))); break;
            case "rate-limit":
                fault = Fault.rateLimited(fields.get(kind), number("retry-after", fields.getOrDefault("retry-after", "1")));
                break;
            case "drop-reply": fault = Fault.dropReply(); break;
            case "start-error": fault = Fault.startError(fields.get(kind)); break;
            case "delay": fault = Fault.delay(duration(fields.get(kind))); break;
            default: throw new IllegalArgumentException("unknown fault '" + kind
                    + "'; expected status, rate-limit, drop-reply, start-error or delay");
        }
        if (fields.containsKey("method") || fields.containsKey("path")) {
            fault = fault.on(fields.get("method"), fields.get("path"));
        }
        if (fields.containsKey("times")) {
            fault = fault.times(number("times", fields.get("times")));
        }
        return fault;
    }

    private static int number(String option, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, was '" + value + "'");
        }
    }

    static Duration duration(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            return Duration.ofMillis(Long.parseLong(v));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a duration must be like 500ms, 2s or 1m, was '" + value + "'");
        }
    }
}
