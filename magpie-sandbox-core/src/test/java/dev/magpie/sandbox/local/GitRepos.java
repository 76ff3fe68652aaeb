package dev.magpie.sandbox.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test helper: builds real git repositories with real git. */
final class GitRepos {

    private static final Map<String, String> IDENTITY = Map.of("GIT_AUTHOR_NAME", "Test", "GIT_AUTHOR_EMAIL",
            "test@example.invalid", "GIT_COMMITTER_NAME", "Test", "GIT_COMMITTER_EMAIL", "test@example.invalid");

    private GitRepos() {
    }

    /** Runs git in {@code dir} and returns its trimmed stdout; fails the test on a non-zero exit. */
    static String git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            builder.environment().putAll(IDENTITY);
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new AssertionError("git " + String.join(" ", args) + " failed in " + dir + ":\n" + output);
            }
            return output.strip();
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Writes a file and commits it; returns the new commit's id. */
    static String commit(Path repo, String file, String content) {
        try {
            Path path = repo.resolve(file);
            Files.createDirectories(path.getParent());
            Files.writeString(path, content);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        git(repo, "add", "--", file);
        git(repo, "commit", "--quiet", "-m", "Change " + file);
        return git(repo, "rev-parse", "HEAD");
    }

    /** A new repository with branch main checked out. */
    static Path init(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        git(dir, "init", "--quiet", "--initial-branch=main");
        return dir;
    }
}
