package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** A sandbox name is unique however many creates race for it. */
class SandboxNamesTest {

    private static final int CREATES = 30;
    private static final int ROUNDS = 5;

    @Test
    void concurrentCreatesWithOneNameMakeOneSandbox() throws Exception {
        try (DaytonaServer server = DaytonaServer.start()) {
            ServerCalls calls = new ServerCalls(server);
            ExecutorService pool = Executors.newFixedThreadPool(CREATES);
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    String body = "{\"name\":\"racer-" + round + "\"}";
                    List<Callable<Integer>> creates = new ArrayList<>();
                    for (int i = 0; i < CREATES; i++) {
                        creates.add(() -> calls.call("POST", "/api/sandbox", body).statusCode());
                    }
                    List<Integer> codes = new ArrayList<>();
                    for (Future<Integer> f : pool.invokeAll(creates)) {
                        codes.add(f.get());
                    }
                    assertThat(codes).as("round " + round).filteredOn(c -> c == 200).hasSize(1);
                    assertThat(codes).as("round " + round).filteredOn(c -> c == 409).hasSize(CREATES - 1);
                    assertThat(server.sandboxIds()).as("round " + round).hasSize(round + 1);
                }
                HttpResponse<String> taken = calls.call("POST", "/api/sandbox", "{\"name\":\"racer-0\"}");
                assertThat(calls.JSON.readTree(taken.body()).path("message").asText())
                        .isEqualTo("Sandbox with name racer-0 already exists");
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
