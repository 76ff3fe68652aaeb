package dev.magpie.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The extension is a thin adapter over the public contract and the SPI: no class of it refers to the core's
 * internal package. Checked on the compiled classes, whose constant pools name every class they use.
 */
class InternalBoundaryTest {

    private static final String INTERNAL = "dev/magpie/sandbox/internal/";

    @Test
    void theExtensionUsesNoInternalClassOfTheCore() throws IOException, URISyntaxException {
        Path location = Path.of(SandboxExtension.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        // a directory of classes in this module's build, the extension's jar when another module runs these tests
        try (FileSystem jar = Files.isDirectory(location) ? null : FileSystems.newFileSystem(location)) {
            Path classes = jar == null ? location : jar.getPath("/");
            List<Path> files;
            try (Stream<Path> walk = Files.walk(classes)) {
                files = walk.filter(p -> p.toString().endsWith(".class")).toList();
            }

            assertThat(files).as("the extension's classes in %s", location).isNotEmpty();
            assertThat(files).allSatisfy(file -> {
                try (InputStream in = Files.newInputStream(file)) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).as(file.toString())
                            .doesNotContain(INTERNAL);
                }
            });
        }
    }
}
