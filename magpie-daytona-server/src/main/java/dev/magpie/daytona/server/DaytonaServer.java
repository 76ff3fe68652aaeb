package dev.magpie.daytona.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A local server that speaks the Daytona REST contract: the control plane under {@link #baseUrl()} and the
 * toolbox under {@link #toolboxProxyUrl()}, both on one port. Sandboxes are real: a directory of this machine
 * and real processes. Requests must carry {@code Authorization: Bearer <apiKey>}.
 *
 * <pre>{@code
 * try (DaytonaServer server = DaytonaServer.builder().startDelay(Duration.ofMillis(200)).start()) {
 *     // point a client at server.baseUrl() with server.apiKey()
 *     server.inject(Fault.status(409).on("DELETE", "/api/sandbox/.*"));
 * }
 * }</pre>
 *
 * <p>Closing the server deletes every sandbox and its directory. Thread-safe.
 */
public final class DaytonaServer implements AutoCloseable {

    /** The organization every sandbox belongs to. */
    public static final String ORGANIZATION_ID = "local";
    /** The daemon version reported on sandboxes. */
    public static final String DAEMON_VERSION = "0.190.0";
    /** The snapshot used when a create names none; always known. */
    public static final String DEFAULT_SNAPSHOT = "daytonaio/sandbox:latest";

    private static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";
    private static final String NAMESPACES = "namespaces";
    private static final String BWRAP = "bwrap";

    private final HttpServer http;
    private final ExecutorService executor;
    private final PreviewPorts previews = new PreviewPorts(this);
    private final String apiKey;
    private final String host;
    private final Path root;
    private final boolean ownsRoot;
    private final Map<String, Optional<Path>> snapshots;
    private final Sandboxes sandboxes;
    private final Faults faults = new Faults();
    private final RateLimits rateLimits;
    private final List<Consumer<RecordedExchange>> observers = new CopyOnWriteArrayList<>();
    private volatile Duration startDelay;
    private final Duration headTimeout;
    /** The cgroups of the sandboxes' processes; null when sandboxes are containers. */
    private final ProcessCages cages;
    private final SandboxClock clock;
    private final EventGateway events;
    /** The public port; it passes HTTP to {@link #http} and serves WebSockets itself. */
    private final FrontDoor front;
    /** How sandboxes' commands run: {@code namespaces}, {@code none} or {@code container}. */
    private final String isolation;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook = new Thread(this::close, "daytona-server-shutdown");

    private DaytonaServer(Builder b) throws IOException {
        this.apiKey = b.apiKey != null ? b.apiKey : randomKey();
        this.host = b.host;
        this.ownsRoot = b.root == null;
        this.root = b.root != null ? Files.createDirectories(b.root)
                : TempRoots.create(Path.of(System.getProperty("java.io.tmpdir")));
        this.snapshots = new java.util.concurrent.ConcurrentHashMap<>(b.snapshots); // snapshots taken add to it
        this.isolation = b.dockerImage != null ? "container" : isolation(b.isolation);
        this.cages = b.dockerImage == null ? ProcessCages.create() : null;
        this.sandboxes = new Sandboxes(root, b.dockerImage != null ? new DockerRuntime(b.dockerImage)
                : isolation.equals(NAMESPACES) ? new NamespaceRuntime(cages, BWRAP) : new DirectoryRuntime(cages),
                previews);
        this.rateLimits = new RateLimits(b.rateLimitPerMinute);
        this.startDelay = b.startDelay;
        this.clock = new SandboxClock(b.intervalMinute);
        this.headTimeout = b.headTimeout;
        this.events = new EventGateway(this);
        b.faults.forEach(faults::add);
        // The JDK server writes headers and body apart; without TCP_NODELAY every small reply waits ~40 ms for a
        // delayed ACK. The property is read once, when the first server of this JVM starts.
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true");
        }
        try {
            this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException | RuntimeException e) {
            if (cages != null) {
                cages.closeAll();
            }
            clock.close();
            throw e;
        }
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "daytona-server");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        http.createContext("/", new Dispatcher(this, new ControlPlane(this), new Toolbox(this)));
        http.start();
        try {
            this.front = new FrontDoor(new InetSocketAddress(b.host, b.port), http.getAddress(), new Upgrades(this),
                    executor, headTimeout);
        } catch (IOException | RuntimeException e) {
            http.stop(0);
            executor.shutdownNow();
            clock.close();
            if (cages != null) {
                cages.closeAll();
            }
            throw e;
        }
        // a JVM that exits without closing the server (SIGTERM, System.exit) must not leave processes behind
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A server on a random port with a random key, no start delay, knowing only {@link #DEFAULT_SNAPSHOT}. */
    public static DaytonaServer start() {
        return builder().start();
    }

    /** Whether the {@code docker} command reaches an engine that has the image, for {@link Builder#docker}. */
    public static boolean dockerAvailable(String image) {
        return DockerRuntime.available(image);
    }

    /**
     * How the sandboxes' commands run: {@code namespaces} (bubblewrap, seeing {@code /home/daytona}), {@code none}
     * (processes of this machine in the sandbox's directory) or {@code container} (with {@link Builder#docker}).
     */
    public String isolation() {
        return isolation;
    }

    /** The isolation asked for, or by default namespaces where bubblewrap can make a sandbox here. */
    private static String isolation(String asked) {
        if ("none".equals(asked)) {
            return asked;
        }
        Optional<String> unavailable = NamespaceRuntime.unavailable(BWRAP);
        if (unavailable.isPresent() && asked != null) {
            throw new IllegalStateException("isolation namespaces was asked for, but " + unavailable.get()
                    + ". Or choose isolation none (--isolation none).");
        }
        return unavailable.isPresent() ? "none" : NAMESPACES;
    }

    /** The control-plane base URL, e.g. {@code http://127.0.0.1:41234/api}: use it as the Daytona API URL. */
    public String baseUrl() {
        return origin() + "/api";
    }

    /** The toolbox proxy URL that sandboxes report; a sandbox's toolbox is at {@code <this>/<sandboxId>}. */
    public String toolboxProxyUrl() {
        return origin() + "/toolbox";
    }

    /** The bearer key every request must carry. */
    public String apiKey() {
        return apiKey;
    }

    public int port() {
        return front.port();
    }

    /** Arms a fault for the next matching requests; faults apply in the order they were injected. */
    public DaytonaServer inject(Fault fault) {
        faults.add(Objects.requireNonNull(fault, "fault"));
        return this;
    }

    /** Disarms every fault not yet spent. */
    public void clearFaults() {
        faults.clear();
    }

    /** The faults not yet spent, each with the number of uses left. */
    public List<Fault> pendingFaults() {
        return faults.pending();
    }

    /** Changes how long new sandboxes take to turn {@code started}. */
    public void startDelay(Duration delay) {
        this.startDelay = Objects.requireNonNull(delay, "delay");
    }

    public Duration startDelay() {
        return startDelay;
    }

    /** Calls the observer with every exchange once its reply was sent (or dropped). */
    public void onExchange(Consumer<RecordedExchange> observer) {
        observers.add(Objects.requireNonNull(observer, "observer"));
    }

    /** The ids of the sandboxes that exist now. */
    public Set<String> sandboxIds() {
        Set<String> ids = new java.util.TreeSet<>();
        sandboxes.all().forEach(s -> ids.add(s.id));
        return ids;
    }

    /** The labels of a sandbox that exists now. */
    public Optional<Map<String, String>> labels(String sandboxId) {
        return sandboxes.find(sandboxId).map(s -> s.labels);
    }

    /** The directory of this machine that is the sandbox's home and working directory. */
    public Optional<Path> directory(String sandboxId) {
        return sandboxes.find(sandboxId).map(s -> s.directory);
    }

    /** The {@link System#nanoTime()} at which a sandbox turns (or turned) {@code started}, for benchmarks. */
    public Optional<Long> startedAtNanos(String sandboxId) {
        return sandboxes.find(sandboxId).map(LocalSandbox::startedAtNanos);
    }

    /** Deletes every sandbox, as if each had been deleted through the API. */
    public void deleteAllSandboxes() {
        sandboxes.deleteAll();
    }

    /**
     * Stops serving, kills every sandbox's processes and deletes their directories; runs at the latest when the
     * JVM shuts down. A second call does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook may be running this very close
            }
        }
        front.close();
        http.stop(0);
        clock.close();
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        previews.closeAll();
        sandboxes.deleteAll();
        if (cages != null) {
            cages.closeAll();
        }
        if (ownsRoot) {
            Sandboxes.deleteTree(root);
        }
    }

    @Override
    public String toString() {
        return "DaytonaServer{" + baseUrl() + ", sandboxes=" + sandboxes.all().size() + "}";
    }

    String origin() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + h + ":" + port();
    }

    Sandboxes sandboxes() {
        return sandboxes;
    }

    SandboxClock clock() {
        return clock;
    }

    Duration headTimeout() {
        return headTimeout;
    }

    EventGateway events() {
        return events;
    }

    PreviewPorts previews() {
        return previews;
    }

    Faults faults() {
        return faults;
    }

    RateLimits rateLimits() {
        return rateLimits;
    }

    Map<String, Optional<Path>> snapshots() {
        return snapshots;
    }

    void notifyObservers(RecordedExchange exchange) {
        observers.forEach(o -> o.accept(exchange));
    }

    private static String randomKey() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return "dtn_" + HexFormat.of().formatHex(bytes);
    }

    /** Configures a {@link DaytonaServer}; {@link #start()} binds the port. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private String apiKey;
        private Path root;
        private Duration startDelay = Duration.ZERO;
        private Duration intervalMinute = Duration.ofMinutes(1);
        private Duration headTimeout = Duration.ofSeconds(30);
        private int rateLimitPerMinute = 10_000;
        private final Map<String, Optional<Path>> snapshots = new LinkedHashMap<>();
        private final List<Fault> faults = new java.util.ArrayList<>();
        private String dockerImage;
        private String isolation;

        private Builder() {
            snapshots.put(DEFAULT_SNAPSHOT, Optional.empty());
        }

        /** The address to bind; {@code 127.0.0.1} by default. */
        public Builder host(String value) {
            this.host = Objects.requireNonNull(value, "host");
            return this;
        }

        /** The port to bind; 0 (the default) picks a free one. */
        public Builder port(int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("port must be 0-65535, was " + value);
            }
            this.port = value;
            return this;
        }

        /** The bearer key requests must carry; a random one by default. */
        public Builder apiKey(String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("apiKey must not be blank");
            }
            this.apiKey = value;
            return this;
        }

        /**
         * Where sandbox directories go. By default a temporary directory, deleted on close, named
         * {@code magpie-daytona-<pid>-<jvm start millis>-...}: a server that starts removes the ones of JVMs that are
         * gone (killed before they could close their server).
         */
        public Builder root(Path directory) {
            this.root = directory;
            return this;
        }

        /** How long a new sandbox takes to turn {@code started}: half {@code creating}, half {@code starting}. */
        public Builder startDelay(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("startDelay must not be negative, was " + delay);
            }
            this.startDelay = delay;
            return this;
        }

        /**
         * How long one minute of the sandboxes' auto-stop, auto-archive and auto-delete intervals lasts on this
         * server; a real minute by default. A test sets e.g. 100 ms to see a sandbox with a one-minute auto-stop
         * stop after 100 ms of idleness.
         */
        public Builder intervalMinute(Duration length) {
            if (length.isNegative() || length.isZero()) {
                throw new IllegalArgumentException("intervalMinute must be positive, was " + length);
            }
            this.intervalMinute = length;
            return this;
        }

        /**
         * How long a new connection may take to send its first request head, and a gateway client its connect
         * message, before the server closes it (30 s): a client that connects and falls silent holds no thread.
         */
        Builder headTimeout(Duration length) {
            this.headTimeout = length;
            return this;
        }

        /** Requests per minute per rate-limit bucket before the server answers 429. */
        public Builder rateLimitPerMinute(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("rateLimitPerMinute must be at least 1, was " + limit);
            }
            this.rateLimitPerMinute = limit;
            return this;
        }

        /** A snapshot the server knows, starting empty; creating from an unknown snapshot is a 404. */
        public Builder snapshot(String name) {
            snapshots.put(Objects.requireNonNull(name, "name"), Optional.empty());
            return this;
        }

        /** A snapshot whose sandboxes start with a copy of this directory as their home. */
        public Builder snapshot(String name, Path template) {
            if (!Files.isDirectory(template)) {
                throw new IllegalArgumentException("Snapshot '" + name + "' needs a template directory, but "
                        + template.toAbsolutePath() + " is not one.");
            }
            snapshots.put(Objects.requireNonNull(name, "name"), Optional.of(template.toAbsolutePath()));
            return this;
        }

        /**
         * Runs each sandbox in a Docker container of this image (it needs {@code sh} and {@code sleep}), with the
         * sandbox's directory mounted as {@code /home/daytona}; the {@code docker} command must reach an engine.
         * Without it, commands run as processes of this machine.
         */
        public Builder docker(String image) {
            if (image == null || image.isBlank()) {
                throw new IllegalArgumentException("docker needs an image name");
            }
            this.dockerImage = image;
            return this;
        }

        /**
         * How commands run when sandboxes are not containers: {@code namespaces}, through bubblewrap, each sandbox's
         * directory mounted at {@code /home/daytona} and the rest of this machine's files out of reach but the
         * system directories (read-only); or {@code none}, processes of this machine in the sandbox's directory. By
         * default namespaces where bubblewrap can make a sandbox here (probed once), else none. Asking for
         * namespaces where it cannot fails {@link #start()} with the reason.
         */
        public Builder isolation(String mode) {
            if (!"none".equals(mode) && !NAMESPACES.equals(mode)) {
                throw new IllegalArgumentException("isolation must be none or namespaces, was '" + mode + "'");
            }
            this.isolation = mode;
            return this;
        }

        /** A fault armed from the start. */
        public Builder fault(Fault fault) {
            faults.add(Objects.requireNonNull(fault, "fault"));
            return this;
        }

        public DaytonaServer start() {
            try {
                return new DaytonaServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the Daytona server on " + host + ":" + port, e);
            }
        }
    }
}
