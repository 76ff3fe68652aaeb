package dev.magpie.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Runs fixture classes through the Jupiter engine and reads what they reported. */
final class EngineRun {

    /** The key fixtures use to report the working directory of a sandbox. */
    static final String DIR = "dir";

    private final EngineExecutionResults results;

    private EngineRun(EngineExecutionResults results) {
        this.results = results;
    }

    /** Runs the fixture with configuration parameters given as alternating keys and values. */
    static EngineRun run(Class<?> fixture, String... config) {
        EngineTestKit.Builder builder = EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture))
                // never fail an "unavailable provider" fixture just because the suite itself runs under CI=true
                .configurationParameter(Sandbox.REQUIRED_PROPERTY_NAME, "false");
        for (int i = 0; i < config.length; i += 2) {
            builder.configurationParameter(config[i], config[i + 1]);
        }
        return new EngineRun(builder.execute());
    }

    EngineExecutionResults results() {
        return results;
    }

    /** Every value published under the key, in the order published. */
    List<String> reported(String key) {
        return results.allEvents().reportingEntryPublished().stream()
                .map(event -> event.getRequiredPayload(ReportEntry.class).getKeyValuePairs().get(key))
                .filter(value -> value != null).toList();
    }

    /** The sandbox directories the fixture reported. */
    List<Path> dirs() {
        return reported(DIR).stream().map(Path::of).toList();
    }

    /** The throwable of the first finished test or container whose display name starts with the name. */
    Throwable throwableOf(String testName) {
        return results.allEvents().finished().stream()
                .filter(event -> event.getTestDescriptor().getDisplayName().startsWith(testName))
                .map(event -> event.getRequiredPayload(TestExecutionResult.class).getThrowable())
                .flatMap(Optional::stream).findFirst()
                .orElseThrow(() -> new AssertionError("no throwable for " + testName + " in " + results.allEvents()));
    }

    /** Deletes directories that a fixture kept on purpose. */
    static void deleteKept(List<Path> dirs) throws IOException {
        for (Path dir : dirs) {
            if (Files.exists(dir)) {
                try (var paths = Files.walk(dir)) {
                    for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }
}
