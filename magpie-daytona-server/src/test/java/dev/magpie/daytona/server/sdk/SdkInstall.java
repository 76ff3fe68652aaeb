package dev.magpie.daytona.server.sdk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The SDK installed once per build with {@code npm ci} from the pinned lock file in {@code src/test/sdk}, into
 * {@code target/daytona-sdk}; the scenarios are copied beside its {@code node_modules} so that Node resolves the
 * SDK from them.
 */
final class SdkInstall {

    private static final Path SOURCE = Path.of("src", "test", "sdk");
    private static final Path TARGET = Path.of("target", "daytona-sdk");
    private static Path installed;

    private SdkInstall() {
    }

    /** The directory of the installed scenarios; skips the caller's tests without Node (fails under CI=true). */
    static synchronized Path scenarios() throws IOException {
        if (installed == null) {
            requireTool("node");
            requireTool("npm");
            install();
            installed = TARGET.resolve("scenarios").toAbsolutePath();
        }
        copyScenarios();
        return installed;
    }

    private static void install() throws IOException {
        Files.createDirectories(TARGET);
        Path lock = SOURCE.resolve("package-lock.json");
        Path installedLock = TARGET.resolve("node_modules").resolve(".package-lock.json");
        boolean current = Files.exists(installedLock) && Files.exists(TARGET.resolve("package-lock.json"))
                && Files.mismatch(lock, TARGET.resolve("package-lock.json")) == -1;
        if (current) {
            return;
        }
        Files.copy(SOURCE.resolve("package.json"), TARGET.resolve("package.json"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(lock, TARGET.resolve("package-lock.json"), StandardCopyOption.REPLACE_EXISTING);
        // No install scripts: the SDK needs none, and a test run should not execute a package's hooks.
        ScenarioRun.command(List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"), TARGET, Map.of(),
                "installing the official Daytona SDK with npm ci in " + TARGET.toAbsolutePath());
    }

    private static void copyScenarios() throws IOException {
        Path target = Files.createDirectories(TARGET.resolve("scenarios"));
        try (Stream<Path> files = Files.list(SOURCE.resolve("scenarios"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, target.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void requireTool(String name) {
        boolean found = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, name)));
        if (found) {
            return;
        }
        String reason = "`" + name + "` is not on the PATH: the official Daytona SDK scenarios need Node.js 18 or "
                + "newer with npm; install them (e.g. the Debian packages nodejs and npm) to run these tests";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(reason + " (required under CI=true)");
        }
        Assumptions.abort(reason);
    }
}
