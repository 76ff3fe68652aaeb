package dev.magpie.sandbox.daytona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.magpie.daytona.server.RecordedExchange;
import dev.magpie.daytona.server.contract.ContractValidator;
import dev.magpie.sandbox.ExecRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every request the client sends and every reply the local server returns, for a workload that touches every
 * route the client uses, conform to the published specs. (Every other Daytona test class checks its own
 * exchanges the same way when it ends.) Skipped when the specs cannot be found (see {@link ContractValidator#locate}),
 * failed then under {@code CI=true}.
 */
class DaytonaContractTest {

    @RegisterExtension
    static final LocalDaytona DAYTONA = new LocalDaytona(Duration.ofMillis(50));

    private static ContractValidator validator;

    @BeforeAll
    static void loadSpecs() {
        Path specs = LocalDaytona.specs().orElse(null);
        assumeTrue(specs != null, () -> "Contract tests skipped: "
                + ContractValidator.missing(LocalDaytona.projectRoot()));
        validator = ContractValidator.load(specs);
    }

    @Test
    void theWholeClientWorkloadConforms() {
        try (DaytonaWorkspace ws = DAYTONA.gitWorkspace()) {
            ws.exec(ExecRequest.builder("sh", "-c", "echo out; echo err >&2").env("A", "b").build());
            ws.exec(ExecRequest.builder("sleep", "5").timeout(Duration.ofMillis(100)).build());
            ws.exec(ExecRequest.builder("echo", "heard").listener((channel, line) -> { }).build());
            ws.writeString("a/b.txt", "x");
            ws.readString("a/b.txt");
            // past what a file operation carries inline: the toolbox's upload and download
            ws.writeFile("a/big.bin", new byte[CheckedFiles.INLINE_READ + 1]);
            ws.readFile("a/big.bin");
            ws.exists("a/none");
            ws.list("a");
            String dir = ws.workingDir() + "/a";
            ws.toolbox().exists(dir + "/none");
            ws.toolbox().list(dir);
            ws.toolbox().delete(dir + "/big.bin");
            ws.delete("a");
            ws.toolbox().execute("echo hi", ws.workingDir(), Map.of("K", "V"), Duration.ofSeconds(5));
            DAYTONA.client().list(Map.of(DaytonaClient.LABEL_OWNER, LocalDaytona.OWNER));
            DAYTONA.client().find("no-such-sandbox");
            DAYTONA.client().toolbox(new DaytonaSandbox(ws.id(), "", "started", null, null, null, Map.of(), "",
                    java.util.Optional.empty()));
        }

        List<String> problems = new ArrayList<>();
        DAYTONA.exchanges().forEach(e -> problems.addAll(validator.validate(e)));
        assertThat(problems).isEmpty();
        assertThat(routes()).contains("POST /api/sandbox", "GET /api/sandbox/{id}", "GET /api/sandbox",
                "DELETE /api/sandbox/{id}", "GET /api/sandbox/{id}/toolbox-proxy-url", "POST /toolbox/process/execute",
                "POST /toolbox/process/session", "POST /toolbox/process/session/{id}/exec",
                "GET /toolbox/process/session/{id}", "GET /toolbox/process/session/{id}/command/{id}",
                "GET /toolbox/process/session/{id}/command/{id}/logs",
                "DELETE /toolbox/process/session/{id}", "POST /toolbox/files/bulk-upload", "GET /toolbox/files/download",
                "GET /toolbox/files/info", "GET /toolbox/files", "DELETE /toolbox/files", "GET /toolbox/work-dir");
    }

    @Test
    void theValidatorCatchesWhatDepartsFromTheSpecs() {
        RecordedExchange bad = new RecordedExchange("POST", "/api/sandbox", "bogus=1",
                Map.of("Authorization", List.of("Bearer k"), "X-Daytona-SDK-Version", List.of("0.100.0")),
                "{\"snapshot\": 5, \"labels\": {\"a\": 1}}".getBytes(StandardCharsets.UTF_8), 200, Map.of(),
                "{\"id\": \"x\", \"state\": \"flying\"}".getBytes(StandardCharsets.UTF_8));

        List<String> problems = validator.validate(bad);

        assertThat(String.join("\n", problems))
                .contains("X-Daytona-Source").contains("below 0.167.0").contains("'bogus'")
                .contains("request body.snapshot should be string").contains("request body.labels.a should be string")
                .contains("lacks the required field 'toolboxProxyUrl'").contains("\"flying\", not one of");
        assertThat(validator.validate(new RecordedExchange("GET", "/toolbox/x/nowhere", "", Map.of(), new byte[0],
                404, Map.of(), new byte[0]))).anyMatch(p -> p.contains("no operation GET /nowhere"));
    }

    private static List<String> routes() {
        return DAYTONA.exchanges().stream().map(e -> e.method() + " " + e.path()
                .replaceFirst("^/toolbox/[^/]+", "/toolbox")
                .replaceAll("/(sandbox|session|command)/[^/]+", "/$1/{id}")).distinct().toList();
    }
}
