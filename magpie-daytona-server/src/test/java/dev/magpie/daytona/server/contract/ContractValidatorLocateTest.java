package dev.magpie.daytona.server.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a test run finds the specs, and that a CI run cannot pass without them. */
class ContractValidatorLocateTest {

    @TempDir
    Path base;

    @Test
    void specsBesideAnAncestorOfTheCheckoutAreFound() throws Exception {
        Path specs = writeSpecs(base.resolve("shared/daytona"));
        Path checkout = Files.createDirectories(base.resolve("worktrees/branch"));

        assertThat(ContractValidator.locateForTestRun(checkout, Map.of("CI", "true"))).contains(specs);
    }

    @Test
    void missingSpecsFailACiRunSayingWhereTheyWereLookedFor() throws Exception {
        Path checkout = Files.createDirectories(base.resolve("checkout"));

        assertThatThrownBy(() -> ContractValidator.locateForTestRun(checkout, Map.of("CI", "true")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("CI=true")
                .hasMessageContaining(checkout.toString()).hasMessageContaining(ContractValidator.SPECS_ENV);
        assertThat(ContractValidator.locateForTestRun(checkout, Map.of())).isEmpty();
    }

    @Test
    void aNamedDirectoryWithoutTheSpecsFailsACiRunEvenWithSpecsBesideTheCheckout() throws Exception {
        writeSpecs(base.resolve("shared/daytona"));
        Path checkout = Files.createDirectories(base.resolve("checkout"));
        Map<String, String> env = Map.of("CI", "true", ContractValidator.SPECS_ENV, base.resolve("nowhere").toString());

        assertThatThrownBy(() -> ContractValidator.locateForTestRun(checkout, env))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(base.resolve("nowhere").toString());
    }

    private static Path writeSpecs(Path directory) throws Exception {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("api.json"), "{}");
        Files.writeString(directory.resolve("toolbox.json"), "{}");
        return directory;
    }
}
