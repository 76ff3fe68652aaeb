package dev.magpie.sandbox.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.daytona.server.DaytonaServer;
import dev.magpie.daytona.server.RecordedExchange;
import dev.magpie.daytona.server.contract.ContractValidator;
import dev.magpie.sandbox.daytona.DaytonaClient;
import dev.magpie.sandbox.Settings;
import dev.magpie.sandbox.daytona.DaytonaConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A local Daytona-compatible server for one test class, over real HTTP. After the class it fails when a sandbox
 * was left on it, and checks every exchange against the published specs: a missing spec skips that check with a
 * warning, and fails the class under {@code CI=true}.
 */
final class LocalDaytonaServer implements BeforeAllCallback, AfterAllCallback {

    private final List<RecordedExchange> exchanges = new CopyOnWriteArrayList<>();
    private DaytonaServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = DaytonaServer.builder().startDelay(Duration.ofMillis(50)).start();
        server.onExchange(exchanges::add);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server == null) {
            return;
        }
        java.util.Set<String> left = server.sandboxIds();
        server.close();
        assertThat(left).as("sandboxes left on the server after the class").isEmpty();
        Path root = Path.of(System.getProperty("magpie.project.root", ".."));
        Optional<Path> specs = ContractValidator.locateForTestRun(root);
        if (specs.isEmpty()) {
            System.err.println("Daytona exchanges of " + context.getDisplayName() + " not checked: "
                    + ContractValidator.missing(root));
            return;
        }
        ContractValidator validator = ContractValidator.load(specs.get());
        List<String> problems = new ArrayList<>();
        exchanges.forEach(e -> problems.addAll(validator.validate(e)));
        assertThat(problems).as("exchanges departing from api.json / toolbox.json").isEmpty();
    }

    /** Settings that reach this server, as a user's configuration would. */
    Settings settings(Map<String, String> more) {
        Map<String, String> values = new HashMap<>(more);
        values.put(DaytonaConfig.API_KEY, server.apiKey());
        values.put(DaytonaConfig.API_URL, server.baseUrl());
        values.put(DaytonaConfig.OWNER, "conformance");
        return Settings.builder().values(values).environment(Map.of()).build();
    }

    DaytonaClient client() {
        return DaytonaClient.of(DaytonaConfig.builder().apiKey(server.apiKey()).apiUrl(server.baseUrl())
                .owner("conformance").retryBaseDelay(Duration.ofMillis(5)).startTimeout(Duration.ofSeconds(20))
                .build());
    }
}
