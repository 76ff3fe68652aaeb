package dev.magpie.sandbox;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What to run and how: the command, extra environment variables, a working subdirectory, stdin, a timeout,
 * a per-stream output limit and a listener for live output. Immutable, except for a stdin array, which is
 * shared rather than copied so that large input costs no extra memory; build with {@link #builder(String, String...)}.
 *
 * <p>Stdin is given as bytes, a string, a file or a stream supplier, and every provider streams it to the command
 * without holding it whole in memory (a Docker container gets it through a file copied into the container, spooled
 * to a temporary file first when its length is not known; a Daytona sandbox through an uploaded file).
 */
public final class ExecRequest {

    /** Bytes of each stream kept by default; past it the head and the tail are kept. */
    public static final int DEFAULT_OUTPUT_LIMIT = 4 * 1024 * 1024;

    private final List<String> command;
    private final Map<String, String> env;
    private final String subdirectory;
    private final Stdin stdin;
    private final Duration timeout;
    private final int outputLimit;
    private final OutputListener listener;

    private ExecRequest(Builder builder) {
        this.command = List.copyOf(builder.command);
        this.env = Map.copyOf(builder.env);
        this.subdirectory = builder.subdirectory;
        this.stdin = builder.stdin;
        this.timeout = builder.timeout;
        this.outputLimit = builder.outputLimit;
        this.listener = builder.listener;
    }

    /** A program with its arguments, run without a shell. */
    public static ExecRequest of(String program, String... args) {
        return builder(program, args).build();
    }

    /** A script run with {@code sh -c}. */
    public static ExecRequest shell(String script) {
        return builder("sh", "-c", script).build();
    }

    public static Builder builder(String program, String... args) {
        return new Builder(program, args);
    }

    public Builder newBuilder() {
        Builder builder = new Builder(command.get(0), command.subList(1, command.size()).toArray(String[]::new));
        builder.env.putAll(env);
        builder.subdirectory = subdirectory;
        builder.stdin = stdin;
        builder.timeout = timeout;
        builder.outputLimit = outputLimit;
        builder.listener = listener;
        return builder;
    }

    /** The program followed by its arguments. */
    public List<String> command() {
        return command;
    }

    /** Variables added to the workspace's environment for this command. */
    public Map<String, String> env() {
        return env;
    }

    /** A directory relative to the working directory to run in; empty means the working directory. */
    public Optional<String> subdirectory() {
        return Optional.ofNullable(subdirectory);
    }

    /** Whether the command is given stdin; without, its stdin is closed at once. */
    public boolean hasStdin() {
        return stdin != null;
    }

    /** The length of stdin in bytes when it is known before reading (bytes, string, file); empty otherwise. */
    public OptionalLong stdinLength() {
        long length = stdin == null ? -1 : stdin.length().getAsLong();
        return length < 0 ? OptionalLong.empty() : OptionalLong.of(length);
    }

    /**
     * Opens stdin from its beginning; the caller closes the stream. An empty stream when there is none.
     *
     * @throws WorkspaceException when the file or the supplier cannot give it
     */
    public InputStream openStdin() {
        if (stdin == null) {
            return InputStream.nullInputStream();
        }
        try {
            return Objects.requireNonNull(stdin.opener().open(), "the stdin supplier returned null");
        } catch (IOException | RuntimeException e) {
            throw new WorkspaceException("Could not open the stdin of " + command.get(0) + " (" + stdin.what()
                    + "): " + e.getMessage() + ". Check that it can be read when the command runs.", e);
        }
    }

    /** How long the command may run before its whole process tree is killed; empty means no limit. */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** The most bytes of each stream kept in the result. */
    public int outputLimit() {
        return outputLimit;
    }

    /** Receives output lines as they are produced; {@link OutputListener#NONE} when not set. */
    public OutputListener listener() {
        return listener;
    }

    @Override
    public String toString() {
        return "ExecRequest" + command;
    }

    /** Builds an {@link ExecRequest}; {@link #build()} copies, so a builder may be reused. */
    public static final class Builder {
        private final List<String> command;
        private final Map<String, String> env = new LinkedHashMap<>();
        private String subdirectory;
        private Stdin stdin;
        private Duration timeout;
        private int outputLimit = DEFAULT_OUTPUT_LIMIT;
        private OutputListener listener = OutputListener.NONE;

        private Builder(String program, String... args) {
            Objects.requireNonNull(program, "program");
            if (program.isBlank()) {
                throw new InvalidInputException("A command needs a program to run, but the program was blank ('"
                        + program + "'). Pass the program's name or path, such as \"git\".");
            }
            this.command = new java.util.ArrayList<>();
            command.add(program);
            for (String arg : args) {
                command.add(Objects.requireNonNull(arg, "argument"));
            }
        }

        /** Appends arguments to the command. */
        public Builder arg(String... more) {
            for (String arg : more) {
                command.add(Objects.requireNonNull(arg, "argument"));
            }
            return this;
        }

        public Builder env(String name, String value) {
            env.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder env(Map<String, String> variables) {
            variables.forEach(this::env);
            return this;
        }

        public Builder subdirectory(String relativePath) {
            this.subdirectory = relativePath;
            return this;
        }

        /** Bytes for stdin. The array is not copied: leave it unchanged until the command has run. */
        public Builder stdin(byte[] bytes) {
            this.stdin = bytes == null ? null
                    : new Stdin(() -> new ByteArrayInputStream(bytes), () -> bytes.length, bytes.length + " bytes");
            return this;
        }

        /** Text for stdin, in UTF-8. */
        public Builder stdin(String text) {
            return stdin(text == null ? null : text.getBytes(StandardCharsets.UTF_8));
        }

        /** A file streamed to stdin; it is opened, and its length read, when the command runs. */
        public Builder stdin(Path file) {
            Objects.requireNonNull(file, "file");
            this.stdin = new Stdin(() -> Files.newInputStream(file), () -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    return -1; // opening it fails with the reason
                }
            }, "file " + file);
            return this;
        }

        /**
         * A stream for stdin, obtained when the command runs and closed after. A provider that must retry a
         * transfer asks again, so each call must return the content from its beginning.
         */
        public Builder stdin(Supplier<? extends InputStream> source) {
            Objects.requireNonNull(source, "source");
            this.stdin = new Stdin(source::get, () -> -1, "a stream");
            return this;
        }

        public Builder timeout(Duration limit) {
            if (limit != null && (limit.isNegative() || limit.isZero())) {
                throw new InvalidInputException("timeout must be positive, but was " + limit
                        + "; pass a positive duration, or none for no timeout.");
            }
            this.timeout = limit;
            return this;
        }

        public Builder outputLimit(int bytesPerStream) {
            if (bytesPerStream < 2) {
                throw new InvalidInputException("outputLimit must be at least 2 bytes per stream, but was "
                        + bytesPerStream + "; pass a larger limit.");
            }
            this.outputLimit = bytesPerStream;
            return this;
        }

        public Builder listener(OutputListener outputListener) {
            this.listener = Objects.requireNonNull(outputListener, "listener");
            return this;
        }

        public ExecRequest build() {
            return new ExecRequest(this);
        }
    }

    /** Where stdin comes from: {@code opener} gives a fresh stream each time; {@code length} is -1 when unknown. */
    private record Stdin(Opener opener, LongSupplier length, String what) {
    }

    /** Opens a stream, which may fail with an {@link IOException}. */
    private interface Opener {
        InputStream open() throws IOException;
    }
}
