package dev.magpie.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small C library generated as a git repository whose build works offline: {@code make} compiles its sources
 * into a static library, {@code make test} builds and runs its test program. What a suite of build tests on a
 * real repository runs.
 */
final class CProject {

    private CProject() {
    }

    /** A repository of {@code units} generated C files plus a header, a test program and a Makefile. */
    static Path generate(Path dir, int units) {
        try {
            Files.createDirectories(dir.resolve("src"));
            StringBuilder header = new StringBuilder("#ifndef WIDGETS_H\n#define WIDGETS_H\n");
            StringBuilder test = new StringBuilder("#include <stdio.h>\n#include \"widgets.h\"\nint main(void) {\n"
                    + "    unsigned long sum = 0;\n");
            for (int u = 0; u < units; u++) {
                header.append("unsigned long widget_").append(u).append("(unsigned long seed);\n");
                test.append("    sum += widget_").append(u).append("(").append(u).append(");\n");
                Files.writeString(dir.resolve("src/widget_" + u + ".c"), unit(u));
            }
            header.append("#endif\n");
            test.append("    printf(\"ok %lu\\n\", sum);\n    return 0;\n}\n");
            Files.writeString(dir.resolve("src/widgets.h"), header);
            Files.writeString(dir.resolve("src/test.c"), test);
            Files.writeString(dir.resolve("Makefile"), """
                    SRC := $(wildcard src/widget_*.c)
                    OBJ := $(SRC:src/%.c=build/%.o)
                    CFLAGS := -O2 -Wall

                    all: build/libwidgets.a

                    build/%.o: src/%.c src/widgets.h
                    \t@mkdir -p build
                    \t$(CC) $(CFLAGS) -c $< -o $@

                    build/libwidgets.a: $(OBJ)
                    \tar rcs $@ $^

                    build/test: src/test.c build/libwidgets.a
                    \t$(CC) $(CFLAGS) -Isrc $< build/libwidgets.a -o $@

                    test: build/test
                    \t./build/test

                    .PHONY: all test
                    """);
            Files.writeString(dir.resolve(".gitignore"), "build/\n");
            TreeOps.git(dir, "init", "--quiet", "--initial-branch=main");
            TreeOps.git(dir, "add", ".");
            TreeOps.git(dir, "-c", "user.name=Bench", "-c", "user.email=bench@example.invalid", "commit", "--quiet",
                    "-m", "Generated widgets");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One translation unit: enough arithmetic in unrolled loops that -O2 takes a noticeable moment. */
    private static String unit(int u) {
        StringBuilder c = new StringBuilder("#include \"widgets.h\"\n");
        for (int f = 0; f < 40; f++) {
            c.append("static unsigned long step_").append(f).append("(unsigned long x) {\n")
                    .append("    for (int i = 0; i < ").append(8 + f).append("; i++) {\n")
                    .append("        x = (x * ").append(2654435761L + f * 40503L + u).append("UL) ^ (x >> ")
                    .append(1 + f % 13).append(");\n        if (x % ").append(3 + f).append(" == 0) x += ")
                    .append(u + f).append(";\n    }\n    return x;\n}\n");
        }
        c.append("unsigned long widget_").append(u).append("(unsigned long seed) {\n    unsigned long x = seed;\n");
        for (int f = 0; f < 40; f++) {
            c.append("    x = step_").append(f).append("(x);\n");
        }
        return c.append("    return x;\n}\n").toString();
    }
}
