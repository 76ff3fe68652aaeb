package dev.magpie.sandbox.daytona;

import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.InvalidInputException;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.JvmIdentity;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Deletes sandboxes this library created that outlived a test run: those labelled {@value DaytonaClient#LABEL_MANAGED}
 * for one owner ({@value DaytonaClient#LABEL_OWNER}) and created longer ago than a given age. Sandboxes of other
 * owners, and sandboxes not made by this library, are never touched.
 *
 * <p>As a command, with the same configuration as the library ({@code DAYTONA_API_KEY}, ...):
 * {@code java dev.magpie.sandbox.daytona.DaytonaSweep --older-than 2h [--owner NAME] [--dry-run]}.
 */
public final class DaytonaSweep {

    /** What a sweep found and did. */
    public record Result(List<String> deleted, List<String> kept, Map<String, String> failed) {
        public Result {
            deleted = List.copyOf(deleted);
            kept = List.copyOf(kept);
            failed = Map.copyOf(failed);
        }
    }

    private final DaytonaClient client;
    private final Clock clock;

    private DaytonaSweep(DaytonaClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public static DaytonaSweep of(DaytonaClient client) {
        return of(client, Clock.systemUTC());
    }

    /** A sweep that judges ages by {@code clock}. */
    static DaytonaSweep of(DaytonaClient client, Clock clock) {
        return new DaytonaSweep(Objects.requireNonNull(client, "client"), clock);
    }

    /**
     * Deletes the owner's sandboxes created more than {@code olderThan} ago; with {@code dryRun} only reports
     * them (as {@link Result#deleted()}). A sandbox with no creation time is kept.
     */
    public Result run(String owner, Duration olderThan, boolean dryRun) {
        Objects.requireNonNull(owner, "owner");
        if (olderThan.isNegative()) {
            throw new InvalidInputException("olderThan must not be negative, but was " + olderThan
                    + "; pass zero to delete every sandbox of the owner.");
        }
        Instant cutoff = clock.instant().minus(olderThan);
        List<String> deleted = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        Map<String, String> failed = new java.util.TreeMap<>();
        for (DaytonaSandbox s : client.list(Map.of(DaytonaClient.LABEL_MANAGED, "true",
                DaytonaClient.LABEL_OWNER, owner))) {
            boolean old = s.createdAt().map(created -> !created.isAfter(cutoff)).orElse(false);
            if (!old) {
                kept.add(s.id());
                continue;
            }
            try {
                if (!dryRun) {
                    client.delete(s.id());
                }
                deleted.add(s.id());
            } catch (WorkspaceException e) {
                failed.put(s.id(), e.getMessage());
            }
        }
        return new Result(deleted, kept, failed);
    }

    /**
     * Deletes the owner's sandboxes that a JVM of this host created and that JVM has ended; a sandbox of a live JVM,
     * of another host, or without those labels is kept.
     */
    public Result runForEndedJvms(String owner) {
        Objects.requireNonNull(owner, "owner");
        JvmIdentity self = JvmIdentity.current();
        List<String> deleted = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        Map<String, String> failed = new java.util.TreeMap<>();
        for (DaytonaSandbox s : client.list(Map.of(DaytonaClient.LABEL_MANAGED, "true",
                DaytonaClient.LABEL_OWNER, owner))) {
            Optional<JvmIdentity> creator = JvmIdentity.parse(s.labels().get(DaytonaClient.LABEL_HOST),
                    s.labels().get(DaytonaClient.LABEL_JVM));
            boolean ended = creator.isPresent() && creator.get().host().equals(self.host())
                    && !creator.get().equals(self) && !creator.get().isAlive();
            if (!ended) {
                kept.add(s.id());
                continue;
            }
            try {
                client.delete(s.id());
                deleted.add(s.id());
            } catch (WorkspaceException e) {
                failed.put(s.id(), e.getMessage());
            }
        }
        return new Result(deleted, kept, failed);
    }

    /** The command: {@code --older-than DURATION [--owner NAME] [--dry-run]}. Exits 1 when a delete failed. */
    public static void main(String[] args) {
        System.exit(run(args, Settings.fromSystem(), System.out, System.err));
    }

    static int run(String[] args, Settings settings, PrintStream out, PrintStream err) {
        Duration olderThan = null;
        String owner = null;
        boolean dryRun = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--older-than": olderThan = parseDuration(value(args, ++i, "--older-than")); break;
                    case "--owner": owner = value(args, ++i, "--owner"); break;
                    case "--dry-run": dryRun = true; break;
                    default: throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (olderThan == null) {
                throw new IllegalArgumentException("--older-than is required, e.g. --older-than 2h");
            }
            if (!DaytonaConfig.isConfigured(settings)) {
                throw new IllegalArgumentException("no Daytona API key: set DAYTONA_API_KEY or " + DaytonaConfig.API_KEY);
            }
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println("usage: DaytonaSweep --older-than DURATION (e.g. 90m, 2h, PT2H) [--owner NAME] [--dry-run]");
            return 2;
        }
        DaytonaConfig config = DaytonaConfig.fromSettings(settings);
        String who = owner != null ? owner : config.owner();
        Result result = of(DaytonaClient.of(config)).run(who, olderThan, dryRun);
        String verb = dryRun ? "would delete " : "deleted ";
        result.deleted().forEach(id -> out.println(verb + id));
        result.failed().forEach((id, why) -> err.println("could not delete " + id + ": " + why));
        out.println(verb + result.deleted().size() + ", kept "
                + result.kept().size() + " newer, failed " + result.failed().size() + " (owner " + who + ", older than "
                + olderThan + ")");
        return result.failed().isEmpty() ? 0 : 1;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static Duration parseDuration(String text) {
        try {
            return Settings.builder().values(Map.of("d", text)).environment(Map.of()).build()
                    .getDuration("d", Duration.ZERO);
        } catch (WorkspaceException e) {
            throw new IllegalArgumentException("--older-than must be a duration such as 90m, 2h or PT2H, was '"
                    + text + "'");
        }
    }
}
