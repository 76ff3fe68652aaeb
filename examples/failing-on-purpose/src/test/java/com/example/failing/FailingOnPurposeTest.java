package com.example.failing;

import static dev.magpie.junit.SandboxAssertions.assertThat;

import dev.magpie.junit.CleanupMode;
import dev.magpie.junit.Sandbox;
import dev.magpie.sandbox.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fails on purpose, to show what a failure prints: the assertion names the command, its exit code and the tail
 * of stderr; the sandbox's transcript follows; and the sandbox is kept (cleanup ON_SUCCESS) with its path logged,
 * so you can look inside. Runs only on request: {@code mvn test -Dexample.failing=true}.
 */
@EnabledIfSystemProperty(named = "example.failing", matches = "true",
        disabledReason = "fails on purpose; run it with -Dexample.failing=true")
class FailingOnPurposeTest {

    @Test
    void migrationFails(@Sandbox(cleanup = CleanupMode.ON_SUCCESS, env = "DB_PASSWORD=hunter2-secret") Workspace sandbox) {
        sandbox.writeString("migrate.sh", "echo \"applying 001_users.sql\"\n"
                + "echo \"connecting with password $DB_PASSWORD\"\n"
                + "echo 'ERROR: relation \"users\" already exists' >&2\nexit 3\n");
        assertThat(sandbox.exec("sh", "migrate.sh")).succeeded();
    }
}
