package com.example.gauge;

import static dev.magpie.junit.SandboxAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.junit.Sandbox;
import dev.magpie.sandbox.Workspace;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A parallel suite on a prepared workspace: {@code make deps} (building the vendored library) runs once for the
 * whole run, and every test starts from its own copy of the prepared clone, so its {@code make test} only builds the
 * gauge. A change to the repository's commit, or to the command, prepares again.
 */
@EnabledIf(value = "toolchainOnPath", disabledReason = "needs a C compiler (cc) and make on the PATH")
class GaugeLimitsTest {

    @Sandbox(cloneFrom = "acme/gauge", prepare = "make deps")
    Workspace repo;

    @Test
    void startsWithTheDependenciesBuiltAndAPristineCheckout() {
        assertThat(repo.exists("build/libvendor.a")).isTrue();
        assertThat(repo.exec("git", "status", "--porcelain")).succeeded().stdout().isEmpty();
        assertThat(repo.exec("make", "-q", "deps")).as("nothing left to build for deps").succeeded();
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 25, 30, 35, 40, 45, 49, 60})
    void holdsForAnyLimitBetweenTheCalmAndTheHotReadings(int limit) {
        repo.writeString("src/gauge.h", repo.readString("src/gauge.h").replace("50.0", limit + ".0"));

        assertThat(repo.exec("make", "-s", "test")).succeeded().stdout().isEqualTo("ok limit " + limit + ".0\n");
        assertThat(repo.exec("git", "diff", "--stat")).succeeded().stdout().contains("src/gauge.h");
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 75, 90})
    void failsForALimitOutsideThem(int limit) {
        repo.writeString("src/gauge.h", repo.readString("src/gauge.h").replace("50.0", limit + ".0"));

        assertThat(repo.exec("make", "-s", "test")).hasExitCode(2).stdout().isEqualTo("FAIL limit " + limit + ".0\n");
    }

    static boolean toolchainOnPath() {
        return Stream.of("cc", "make").allMatch(tool -> Stream.of(System.getenv("PATH").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool))));
    }
}
