package dev.magpie.daytona.server.sdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A snapshot template holding {@code origin.git}: a bare repository made with this machine's git from real commits
 * (main: "Start the widgets", "Add a widget"; feature: one more, "Add a feature"), and git run on this side.
 */
final class GitFixture {

    private GitFixture() {
    }

    /**
     * Lays the template out in the build directory, one per test class, replacing what a run killed before the
     * end left there.
     */
    static Path template(Class<?> testClass) {
        Path template = Path.of("target", "sdk-git-fixtures", testClass.getSimpleName()).toAbsolutePath();
        try {
            deleteTree(template);
            Path source = Files.createDirectories(template.resolve("source"));
            git(source, "init", "--quiet", "--initial-branch=main");
            commit(source, "README.md", "# widgets\n", "Start the widgets");
            commit(source, "widget.txt", "one widget\n", "Add a widget");
            git(source, "checkout", "--quiet", "-b", "feature");
            commit(source, "feature.txt", "a feature\n", "Add a feature");
            git(source, "checkout", "--quiet", "main");
            git(template, "clone", "--quiet", "--bare", source.toString(), "origin.git");
            git(template.resolve("origin.git"), "remote", "remove", "origin");
            deleteTree(source);
            return template;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not lay out the git fixture in " + template, e);
        }
    }

    /** Runs this machine's git in the directory and returns its output; fails on a non-zero exit. */
    static String git(Path directory, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("git", "-c", "safe.directory=*", "-c", "user.name=Fixture",
                "-c", "user.email=fixture@example.com"));
        command.addAll(List.of(args));
        return ScenarioRun.command(command, directory, Map.of("GIT_TERMINAL_PROMPT", "0"), String.join(" ", command));
    }

    private static void commit(Path repository, String file, String content, String message) throws IOException {
        Files.writeString(repository.resolve(file), content);
        git(repository, "add", file);
        git(repository, "commit", "--quiet", "-m", message);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
