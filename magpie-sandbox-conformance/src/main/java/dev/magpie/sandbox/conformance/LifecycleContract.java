package dev.magpie.sandbox.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.Transcript;
import dev.magpie.sandbox.Workspace;
import dev.magpie.sandbox.WorkspaceDestroyedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingConsumer;

/** Destroy, use after destroy, use from several threads, and the transcript. */
public interface LifecycleContract extends ConformanceFixture {

    @Test
    default void destroyIsIdempotentAndEveryLaterUseIsRefused() {
        Workspace ws = fresh(Map.of());
        ws.writeString("kept.txt", "x");

        ws.destroy();
        ws.destroy();
        ws.close();

        List<ThrowingConsumer<Workspace>> uses = List.of(w -> w.exec("true"), w -> w.shell("true"),
                w -> w.readFile("kept.txt"), w -> w.writeString("new.txt", "x"), w -> w.exists("kept.txt"),
                w -> w.list("."), w -> w.delete("kept.txt"));
        for (ThrowingConsumer<Workspace> use : uses) {
            assertThatThrownBy(() -> use.accept(ws)).isInstanceOf(WorkspaceDestroyedException.class)
                    .hasMessageContaining(ws.id());
        }
    }

    @Test
    default void oneWorkspaceServesSeveralThreadsAtOnce() throws Exception {
        Workspace ws = workspace();
        int tasks = 8;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    ExecResult result = ws.exec(ExecRequest.builder("sh", "-c", "cat; echo \" $N\"; echo e$N >&2")
                            .env("N", String.valueOf(n)).stdin("in" + n).build());
                    ws.writeString("threads/" + n + ".txt", "file " + n);
                    return result.stdout() + "|" + result.stderr() + "|" + ws.readString("threads/" + n + ".txt");
                }));
            }
            for (int i = 0; i < tasks; i++) {
                assertThat(results.get(i).get(60, TimeUnit.SECONDS)).isEqualTo("in" + i + " " + i + "\n|e" + i
                        + "\n|file " + i);
            }
            assertThat(ws.list("threads")).hasSize(tasks);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    default void theTranscriptRecordsEveryCommandWithItsExitCodeAndOutputTail() {
        Workspace ws = workspace();
        String marker = "recorded-" + UUID.randomUUID();

        ws.exec("echo", marker);
        ws.shell("echo " + marker + " failing >&2; exit 4");

        List<Transcript.Entry> entries = ws.transcript().entries().stream()
                .filter(e -> e.commandLine().contains(marker)).toList();
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).commandLine()).isEqualTo("echo " + marker);
        assertThat(entries.get(0).exitCode()).isZero();
        assertThat(entries.get(0).stdoutTail()).isEqualTo(marker);
        assertThat(entries.get(1).exitCode()).isEqualTo(4);
        assertThat(entries.get(1).stderrTail()).isEqualTo(marker + " failing");
        assertThat(ws.transcript().render()).contains("$ echo " + marker).contains("exit 4");
    }

    @Test
    default void theTranscriptRedactsSecrets() {
        Workspace ws = workspace();
        String password = "hunter2-" + UUID.randomUUID();
        String token = "tok-" + UUID.randomUUID();

        ws.exec(ExecRequest.builder("sh", "-c", "echo password=" + password + "; echo \"token=$SERVICE_TOKEN\" >&2")
                .env("SERVICE_TOKEN", token).build());

        Transcript.Entry entry = ws.transcript().entries().stream()
                .filter(e -> e.env().containsKey("SERVICE_TOKEN")).reduce((first, second) -> second).orElseThrow();
        assertThat(entry.env()).containsEntry("SERVICE_TOKEN", "***");
        assertThat(ws.transcript().render()).doesNotContain(password).doesNotContain(token);
    }
}
