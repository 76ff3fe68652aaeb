package dev.magpie.benchmarks;

import dev.magpie.sandbox.internal.TreeDeleter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/** The baselines' file work: a plain recursive copy, the delete, and running git. */
final class TreeOps {

    private TreeOps() {
    }

    /** Copies the working tree of {@code from} (without {@code .git}) into the new directory {@code to}. */
    static void copyWorkingTree(Path from, Path to) {
        try {
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (dir.getFileName().toString().equals(".git")) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    Files.createDirectories(to.resolve(from.relativize(dir)));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.copy(file, to.resolve(from.relativize(file)));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The library's own deletion: the only one in the project, so that none can follow a link. */
    static void delete(Path root) {
        TreeDeleter.delete(root);
    }

    static void git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Bench", "-c",
                "user.email=bench@example.invalid"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The output of a command that succeeded; empty when it failed. */
    static java.util.Optional<String> run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes());
            return process.waitFor() == 0 ? java.util.Optional.of(output) : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A repository of {@code files} small files in directories of 50, in one commit. */
    static Path generateRepository(Path dir, int files) {
        try {
            Files.createDirectories(dir);
            git(dir, "init", "--quiet", "--initial-branch=main");
            for (int i = 0; i < files; i++) {
                Path file = dir.resolve("module-" + (i / 50)).resolve("File" + i + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, "class File" + i + " {\n    // generated for the clone benchmark\n"
                        + "    int value() { return " + i + "; }\n}\n");
            }
            git(dir, "add", "-A");
            git(dir, "commit", "--quiet", "-m", "Generated");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
