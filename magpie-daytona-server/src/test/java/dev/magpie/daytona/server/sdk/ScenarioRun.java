package dev.magpie.daytona.server.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One Node process: its output read whole, a deadline, and the scenario's reported result. */
final class ScenarioRun {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RESULT = "SCENARIO-RESULT ";
    private static final long DEADLINE_SECONDS = 180;

    private ScenarioRun() {
    }

    /** Runs the scenario file with Node and returns the JSON it reported; fails with its whole output otherwise. */
    static JsonNode run(Path scenario, Map<String, String> env) throws IOException {
        String output = command(List.of("node", scenario.getFileName().toString()), scenario.getParent(), env,
                "scenario " + scenario.getFileName());
        int at = output.lastIndexOf(RESULT);
        if (at < 0) {
            throw new AssertionError("scenario " + scenario.getFileName() + " reported nothing; output:\n" + output);
        }
        int end = output.indexOf('\n', at);
        return JSON.readTree(output.substring(at + RESULT.length(), end < 0 ? output.length() : end));
    }

    /** Runs a command to completion within the deadline and returns its merged output; fails on a non-zero exit. */
    static String command(List<String> command, Path directory, Map<String, String> env, String what)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        try {
            if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(what + " did not end within " + DEADLINE_SECONDS + " s; output:\n"
                        + output.get(10, TimeUnit.SECONDS));
            }
            String text = output.get(10, TimeUnit.SECONDS);
            if (process.exitValue() != 0) {
                throw new AssertionError(what + " exited with " + process.exitValue() + "; output:\n" + text);
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException(what + " was interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException(what + ": its output could not be read", e);
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }
}
