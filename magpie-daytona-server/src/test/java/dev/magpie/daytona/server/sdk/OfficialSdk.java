package dev.magpie.daytona.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magpie.daytona.server.DaytonaServer;
import dev.magpie.daytona.server.RecordedExchange;
import dev.magpie.daytona.server.contract.ContractValidator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The official Daytona TypeScript SDK, unmodified, as an outside client of a local server: one server per test
 * class, scenarios run by Node, every exchange checked against the published specs after the class. WebSocket
 * routes (the event gateway, followed logs, PTY) are not in the REST specs and never reach the recorder.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final OfficialSdk SDK = new OfficialSdk(builder -> builder.startDelay(Duration.ofMillis(300)));
 *
 * JsonNode result = SDK.run("basics.mjs", Map.of());
 * }</pre>
 *
 * <p>Scenarios live in {@code src/test/sdk/scenarios}; each prints its observations with {@code report(..)}.
 * Without Node and npm the class is skipped with the reason, and fails under {@code CI=true}.
 */
public final class OfficialSdk implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final UnaryOperator<DaytonaServer.Builder> configure;
    private final List<RecordedExchange> exchanges = new CopyOnWriteArrayList<>();
    private DaytonaServer server;
    private Path scenarios;

    public OfficialSdk() {
        this(UnaryOperator.identity());
    }

    public OfficialSdk(UnaryOperator<DaytonaServer.Builder> configure) {
        this.configure = configure;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        scenarios = SdkInstall.scenarios();
        server = configure.apply(DaytonaServer.builder().apiKey("sdk-key")).start();
        server.onExchange(exchanges::add);
    }

    /** The server the scenarios talk to, for faults, snapshots and checks from the Java side. */
    public DaytonaServer server() {
        return server;
    }

    /** Runs a scenario with these arguments and returns what it reported. */
    public JsonNode run(String scenario, Map<String, ?> args) throws IOException {
        return ScenarioRun.run(scenarios.resolve(scenario), Map.of(
                "DAYTONA_API_URL", server.baseUrl(),
                "DAYTONA_API_KEY", server.apiKey(),
                "SCENARIO_ARGS", JSON.writeValueAsString(args)));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        server.clearFaults();
        server.deleteAllSandboxes();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server == null) {
            return;
        }
        server.close();
        Path root = Path.of(System.getProperty("magpie.project.root", ".."));
        Optional<Path> specs = ContractValidator.locateForTestRun(root);
        if (specs.isEmpty()) {
            System.err.println(context.getDisplayName() + ": exchanges not checked against the specs: "
                    + ContractValidator.missing(root));
            return;
        }
        ContractValidator validator = ContractValidator.load(specs.get());
        List<String> problems = new ArrayList<>();
        exchanges.forEach(e -> problems.addAll(validator.validate(e)));
        assertThat(problems).as("exchanges of the official SDK against the specs").isEmpty();
    }
}
