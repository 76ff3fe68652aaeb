package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.ExecRequest;
import dev.magpie.sandbox.ExecResult;
import dev.magpie.sandbox.Transcript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** The recording side of a {@link Transcript}: what a workspace records, redacted as it is recorded. */
public final class TranscriptRecorder implements Transcript {

    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<String> secrets = new CopyOnWriteArrayList<>();

    /** Adds a value that must never appear in the transcript, such as an API key. */
    public void addSecret(String secret) {
        if (secret != null && !secret.isBlank()) {
            secrets.addIfAbsent(secret);
        }
    }

    /**
     * Adds the values of the variables whose names look secret ({@code API_TOKEN}, {@code DB_PASSWORD}): a
     * workspace adds those of its environment, so that output echoing them without the name is masked too.
     */
    public void addSecretsOf(Map<String, String> environment) {
        environment.forEach((name, value) -> {
            if (Redactor.isSecretName(name)) {
                addSecret(value);
            }
        });
    }

    /** Records a finished command; the values of its secret-looking variables become secrets too. */
    public void record(ExecRequest request, ExecResult result) {
        addSecretsOf(request.env());
        Map<String, String> env = new java.util.TreeMap<>();
        request.env().forEach((k, v) -> env.put(k, Redactor.isSecretName(k) ? Redactor.MASK : redact(v)));
        entries.add(new Entry(redact(result.commandLine()), Map.copyOf(env), result.exitCode(), result.duration(),
                result.timedOut(), redact(result.stdoutTail(TAIL_LINES)), redact(result.stderrTail(TAIL_LINES))));
    }

    /** Records a note that is not a command, such as a setup step that failed. */
    public void note(String text) {
        entries.add(new Entry("# " + redact(text), Map.of(), 0, Duration.ZERO, false, "", ""));
    }

    @Override
    public List<Entry> entries() {
        return List.copyOf(new ArrayList<>(entries));
    }

    @Override
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public String render() {
        StringBuilder out = new StringBuilder();
        for (Entry entry : entries) {
            out.append("$ ").append(entry.commandLine());
            if (entry.commandLine().startsWith("# ")) {
                out.append('\n');
                continue;
            }
            out.append("\n  exit ").append(entry.exitCode()).append(entry.timedOut() ? " (timed out)" : "")
                    .append(" in ").append(entry.duration().toMillis()).append(" ms");
            if (!entry.env().isEmpty()) {
                out.append(", env ").append(entry.env());
            }
            out.append('\n');
            appendIndented(out, "stdout", entry.stdoutTail());
            appendIndented(out, "stderr", entry.stderrTail());
        }
        return out.toString();
    }

    private static void appendIndented(StringBuilder out, String label, String text) {
        if (text.isEmpty()) {
            return;
        }
        out.append("  ").append(label).append(":\n");
        for (String line : text.split("\n", -1)) {
            out.append("    ").append(line).append('\n');
        }
    }

    @Override
    public String redact(String text) {
        return Redactor.redact(text, secrets);
    }
}
