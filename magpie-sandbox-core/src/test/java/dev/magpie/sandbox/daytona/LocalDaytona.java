package dev.magpie.sandbox.daytona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.daytona.server.DaytonaServer;
import dev.magpie.daytona.server.RecordedExchange;
import dev.magpie.daytona.server.contract.ContractValidator;
import dev.magpie.sandbox.internal.TreeDeleter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One local Daytona server per test class, over real HTTP. After each test it disarms faults and fails the test
 * if a sandbox was left behind; after the class it checks every exchange of the class against the published
 * specs (when they are found; under {@code CI=true} they must be).
 */
final class LocalDaytona implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    /** A snapshot whose sandboxes start as a clone-like git repository with one commit. */
    static final String GIT_SNAPSHOT = "magpie/widgets:1";
    static final String OWNER = "tests";

    private final Duration startDelay;
    private final String dockerImage;
    private final List<RecordedExchange> all = new CopyOnWriteArrayList<>();
    private final List<RecordedExchange> exchanges = new CopyOnWriteArrayList<>();
    private DaytonaServer server;
    private Path template;
    private Set<String> beforeTest = Set.of();

    LocalDaytona(Duration startDelay) {
        this(startDelay, null);
    }

    /** A server whose sandboxes are containers of the image; the class is skipped without Docker or the image. */
    LocalDaytona(Duration startDelay, String dockerImage) {
        this.startDelay = startDelay;
        this.dockerImage = dockerImage;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (dockerImage != null) {
            org.junit.jupiter.api.Assumptions.assumeTrue(DaytonaServer.dockerAvailable(dockerImage),
                    "no Docker engine with image " + dockerImage + " here");
        }
        // In the build directory, one per class: a run killed before afterAll leaves it there for the next run of
        // the class to replace (and for mvn clean), never in the system's temp directory.
        template = Path.of("target", "daytona-snapshots", context.getRequiredTestClass().getSimpleName())
                .toAbsolutePath();
        TreeDeleter.delete(template);
        Files.createDirectories(template);
        Path repo = Files.createDirectories(template.resolve("widgets"));
        Files.writeString(repo.resolve("README.md"), "widgets\n");
        git(repo, "init", "-q");
        git(repo, "add", ".");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init");
        DaytonaServer.Builder builder = DaytonaServer.builder().startDelay(startDelay).snapshot(GIT_SNAPSHOT, template);
        if (dockerImage != null) {
            builder.docker(dockerImage);
        }
        server = builder.start();
        server.onExchange(all::add);
        server.onExchange(exchanges::add);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        beforeTest = server.sandboxIds();
        exchanges.clear();
    }

    /** Fails the test when it left a sandbox it created (class-wide ones made before it are fine). */
    @Override
    public void afterEach(ExtensionContext context) {
        server.clearFaults();
        server.startDelay(startDelay);
        Set<String> left = new java.util.TreeSet<>(server.sandboxIds());
        left.removeAll(beforeTest);
        assertThat(left).as("sandboxes left on the server after the test").isEmpty();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (server == null) {
            return;
        }
        Set<String> left = server.sandboxIds();
        try {
            server.close();
        } finally {
            TreeDeleter.delete(template);
        }
        assertThat(left).as("sandboxes left on the server after the class").isEmpty();
        Optional<Path> specs = specs();
        if (specs.isEmpty()) {
            System.err.println(context.getDisplayName() + ": exchanges not checked against the specs: "
                    + ContractValidator.missing(projectRoot()));
            return;
        }
        ContractValidator validator = ContractValidator.load(specs.get());
        List<String> problems = new ArrayList<>();
        all.forEach(e -> problems.addAll(validator.validate(e)));
        assertThat(problems).as("exchanges departing from api.json / toolbox.json").isEmpty();
    }

    /** Where the published specs are, when this checkout has them beside it; under {@code CI=true} they must be. */
    static Optional<Path> specs() {
        return ContractValidator.locateForTestRun(projectRoot());
    }

    static Path projectRoot() {
        return Path.of(System.getProperty("magpie.project.root", ".."));
    }

    DaytonaServer server() {
        return server;
    }

    /** The exchanges since the current test began. */
    List<RecordedExchange> exchanges() {
        return exchanges;
    }

    /** The exchanges of the whole class so far. */
    List<RecordedExchange> allExchanges() {
        return all;
    }

    /** Exchanges of the current test with this method whose path matches the regex. */
    List<RecordedExchange> exchanges(String method, String pathRegex) {
        return exchanges.stream().filter(e -> e.method().equals(method) && e.path().matches(pathRegex)).toList();
    }

    DaytonaConfig config() {
        return DaytonaConfig.builder().apiKey(server.apiKey()).apiUrl(server.baseUrl()).owner(OWNER)
                .retryBaseDelay(Duration.ofMillis(5)).startTimeout(Duration.ofSeconds(20)).build();
    }

    DaytonaClient client() {
        return DaytonaClient.of(config());
    }

    DaytonaWorkspace workspace() {
        return DaytonaWorkspace.create(client(), DaytonaCreateRequest.builder().build(), null);
    }

    DaytonaWorkspace gitWorkspace() {
        return DaytonaWorkspace.create(client(), DaytonaCreateRequest.builder().snapshot(GIT_SNAPSHOT).build(),
                "widgets");
    }

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("git " + String.join(" ", args) + " failed in " + dir);
        }
    }
}
