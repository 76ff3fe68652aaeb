package dev.magpie.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedactorTest {

    private static final String GHP = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
    private static final String PAT = "github_pat_" + "11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123";

    /** A text holding a secret, the secret, and what must stay readable around it. */
    static Stream<Arguments> secretShapes() {
        return Stream.of(
                Arguments.of("git clone https://jane:s3cr3t-pw@git.example.com/acme/w.git", "s3cr3t-pw",
                        "git.example.com/acme/w.git"),
                Arguments.of("https://x-access-token:tok3n-v4lue@github.com/acme/w", "tok3n-v4lue", "github.com/acme/w"),
                Arguments.of("DAYTONA_API_KEY=dtn_0123456789abcdef0123", "dtn_0123456789abcdef0123", "DAYTONA_API_KEY="),
                Arguments.of("export GITHUB_TOKEN=\"quoted-t0ken-value\"", "quoted-t0ken-value", "GITHUB_TOKEN="),
                Arguments.of("DB_PASSWORD='hunter2hunter2'", "hunter2hunter2", "DB_PASSWORD="),
                Arguments.of("spring.datasource.password=hunter2pw", "hunter2pw", "spring.datasource.password="),
                Arguments.of("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
                        "eyJhbGciOiJIUzI1NiJ9", "Authorization: Bearer"),
                Arguments.of("curl -H 'Authorization: Bearer abc.def.ghi1234' https://api.example.com", "abc.def.ghi1234",
                        "https://api.example.com"),
                Arguments.of("Authorization: Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA==", "Authorization: Basic"),
                Arguments.of("authorization: token 0123456789abcdef0123", "0123456789abcdef0123", "authorization: token"),
                Arguments.of("> Proxy-Authorization: Basic cHJveHk6cHc=", "cHJveHk6cHc=", "Proxy-Authorization"),
                Arguments.of("using Bearer sk_live_4eC39HqLyjWDarjtT1zdp7dc now", "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "now"),
                Arguments.of("mysqladmin --password hunter2pw status", "hunter2pw", "status"),
                Arguments.of("mysqladmin --password=hunter2pw status", "hunter2pw", "status"),
                Arguments.of("gh auth login --token abcdef123456 --hostname h", "abcdef123456", "--hostname h"),
                Arguments.of("tool --token=abcdef123456 --verbose", "abcdef123456", "--verbose"),
                Arguments.of("tool --api-key \"k3y v4lue\" run", "k3y v4lue", "run"),
                Arguments.of("{\"user\": \"jane\", \"password\": \"hunter2pw\"}", "hunter2pw", "\"user\": \"jane\""),
                Arguments.of("{\"apiKey\":\"k3yv4lue123\",\"region\":\"eu\"}", "k3yv4lue123", "\"region\":\"eu\""),
                Arguments.of("{\"access_token\": \"ya29.a0AfH6SMB\"}", "ya29.a0AfH6SMB", "access_token"),
                Arguments.of("password: hunter2pw\nuser: jane", "hunter2pw", "user: jane"),
                Arguments.of("  client_secret: \"abc123def456\"", "abc123def456", "client_secret"),
                Arguments.of("key id AKIAIOSFODNN7EXAMPLE in use", "AKIAIOSFODNN7EXAMPLE", "in use"),
                Arguments.of("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws_secret_access_key"),
                Arguments.of("pushed with " + GHP + " ok", GHP.substring(4), "ok"),
                Arguments.of("token " + PAT, PAT.substring(11), "token"),
                Arguments.of("slack xoxb-123456789012-abcdefABCDEF ok", "xoxb-123456789012", "ok"),
                Arguments.of("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq9\nY2ZlZmVmZWZlZmVm\n"
                        + "-----END RSA PRIVATE KEY-----\ndone", "MIIEowIBAAKCAQEA7bq9", "done"),
                Arguments.of("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n(cut)",
                        "b3BlbnNzaC1rZXktdjEAAAAA", "BEGIN OPENSSH PRIVATE KEY"),
                Arguments.of("b3BlbnNzaC1rZXktdjEAAAAABG5vbmUA\nAAAEbm9uZQAAAAAAAAAB\n-----END OPENSSH PRIVATE KEY-----",
                        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUA", "END OPENSSH PRIVATE KEY"));
    }

    @ParameterizedTest
    @MethodSource("secretShapes")
    void masksTheSecretAndKeepsTheRestReadable(String text, String secret, String kept) {
        String redacted = Redactor.redact(text);

        assertThat(redacted).as("redacted %s", text).doesNotContain(secret).contains(Redactor.MASK).contains(kept);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Tests run: 3, Failures: 0, Errors: 0, Skipped: 0",
        "Author: Jane Doe <jane@example.com>",
        "passed: 12, failed: 0",
        "git clone https://github.com/acme/widgets.git",
        "git@github.com:acme/widgets.git",
        "PWD=/home/runner/work",
        "token count: 42",
        "Bearer authentication is enabled",
        "DAYTONA_API_URL=http://127.0.0.1:3000/api",
        "keyboard: us, monkey=1",
        "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "PASSWORD_FILE=/run/secrets/db",
        "--token-file /run/secrets/token"
    })
    void leavesOrdinaryTextAlone(String text) {
        assertThat(Redactor.redact(text)).isEqualTo(text);
    }

    @Test
    void masksGivenValuesWhereverTheyAppear() {
        assertThat(Redactor.redact("echo s3cr3t-value; done", List.of("s3cr3t-value"))).isEqualTo("echo ***; done");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GITHUB_TOKEN", "DAYTONA_API_KEY", "DB_PASSWORD", "apiKey", "clientSecret", "AUTH",
        "aws_secret_access_key", "x-api-key", "db.pass", "SSH_PRIVATE_KEY", "NPM_AUTH_TOKEN"})
    void tellsSecretNames(String name) {
        assertThat(Redactor.isSecretName(name)).as(name).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PATH", "HOME", "PWD", "AUTHOR", "DAYTONA_API_URL", "PASSED", "BYPASS", "KEYBOARD",
        "TOKEN_FILE", "MAGPIE_EXEC"})
    void tellsOrdinaryNames(String name) {
        assertThat(Redactor.isSecretName(name)).as(name).isFalse();
    }
}
