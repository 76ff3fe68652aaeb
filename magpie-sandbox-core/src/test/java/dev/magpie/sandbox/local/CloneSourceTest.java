package dev.magpie.sandbox.local;

import dev.magpie.sandbox.InvalidInputException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.magpie.sandbox.WorkspaceException;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloneSourceTest {

    private static final BooleanSupplier NEVER_ASKED = () -> {
        throw new AssertionError("gh must not be consulted");
    };

    @TempDir
    Path dir;

    @Test
    void urlsAreClonedAsGivenAndShownRedacted() {
        CloneSource https = CloneSource.resolve("https://bot:s3cretvalue@git.example.com/acme/w.git", "x", NEVER_ASKED);
        assertThat(https.location()).isEqualTo("https://bot:s3cretvalue@git.example.com/acme/w.git");
        assertThat(https.display()).isEqualTo("https://***@git.example.com/acme/w.git");
        assertThat(CloneSource.resolve("git@git.example.com:acme/w.git", "x", NEVER_ASKED).location())
                .isEqualTo("git@git.example.com:acme/w.git");
        assertThat(CloneSource.resolve("ssh://git@git.example.com/acme/w", "x", NEVER_ASKED).isLocalPath()).isFalse();
    }

    @Test
    void localPathsMustBeWrittenAsPathsAndExist() {
        CloneSource local = CloneSource.resolve(dir + "/./", "x", NEVER_ASKED);
        assertThat(local.location()).isEqualTo(dir.toString());
        assertThat(local.isLocalPath()).isTrue();
        assertThatThrownBy(() -> CloneSource.resolve(dir.resolve("missing").toString(), "x", NEVER_ASKED))
                .isInstanceOf(WorkspaceException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> CloneSource.resolve("a/b/c", "x", NEVER_ASKED))
                .isInstanceOf(WorkspaceException.class).hasMessageContaining("./");
    }

    @Test
    void shorthandUsesGhOnlyOnTheDefaultBaseWhenLoggedIn() {
        CloneSource viaGh = CloneSource.resolve("acme/widgets", "https://github.com/", () -> true);
        assertThat(viaGh.viaGh()).isTrue();
        assertThat(viaGh.key()).isEqualTo("gh:acme/widgets");
        CloneSource viaGit = CloneSource.resolve("acme/widgets", CloneSpec.DEFAULT_GITHUB_BASE, () -> false);
        assertThat(viaGit.location()).isEqualTo("https://github.com/acme/widgets.git");
        CloneSource otherBase = CloneSource.resolve("acme/widgets", "https://git.example.com/mirrors", NEVER_ASKED);
        assertThat(otherBase.location()).isEqualTo("https://git.example.com/mirrors/acme/widgets.git");
    }

    @Test
    void aRefThatGitWouldReadAsAnOptionIsRefused() {
        assertThat(CloneSpec.builder("acme/widgets").ref(" main ").build().ref()).contains("main");
        assertThatThrownBy(() -> CloneSpec.builder("acme/widgets").ref("--upload-pack=touch x"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'--upload-pack=touch x'");
    }
}
