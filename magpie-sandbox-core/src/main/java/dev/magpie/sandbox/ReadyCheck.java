package dev.magpie.sandbox;

import dev.magpie.sandbox.internal.Ports;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What makes a {@link BackgroundProcess} ready, after the wait strategies of Testcontainers: a line of its output
 * matching a pattern, a port of the workspace accepting connections from this JVM, or an HTTP endpoint answering
 * with a status. Immutable values; pass one to {@link BackgroundProcess#waitUntilReady}.
 */
public sealed interface ReadyCheck permits ReadyCheck.Line, ReadyCheck.Port, ReadyCheck.Http {

    /** Ready once a line of stdout or stderr matches {@code regex} somewhere ({@link java.util.regex.Matcher#find}). */
    static ReadyCheck line(String regex) {
        return new Line(Pattern.compile(Objects.requireNonNull(regex, "regex")));
    }

    /** Ready once a line of stdout or stderr matches {@code pattern} somewhere. */
    static ReadyCheck line(Pattern pattern) {
        return new Line(pattern);
    }

    /** Ready once the workspace's {@code port} accepts a connection through {@link Workspace#endpoint(int)}. */
    static ReadyCheck port(int port) {
        return new Port(port);
    }

    /** Ready once {@code GET path} on the workspace's {@code port} answers with a 2xx status. */
    static ReadyCheck http(int port, String path) {
        return new Http(port, path, 200, 299);
    }

    /** Ready once {@code GET path} on the workspace's {@code port} answers with exactly {@code status}. */
    static ReadyCheck http(int port, String path, int status) {
        return new Http(port, path, status, status);
    }

    /** A line matching {@code pattern}. */
    record Line(Pattern pattern) implements ReadyCheck {
        public Line {
            Objects.requireNonNull(pattern, "pattern");
        }

        @Override
        public String toString() {
            return "a line matching /" + pattern + "/";
        }
    }

    /** A port accepting connections. */
    record Port(int port) implements ReadyCheck {
        public Port {
            Ports.check(port);
        }

        @Override
        public String toString() {
            return "port " + port + " accepting connections";
        }
    }

    /** An HTTP {@code GET} answering with a status from {@code lowest} to {@code highest}. */
    record Http(int port, String path, int lowest, int highest) implements ReadyCheck {
        public Http {
            Ports.check(port);
            Objects.requireNonNull(path, "path");
            if (!path.startsWith("/")) {
                throw new InvalidInputException("An HTTP readiness path must start with '/', but was '" + path
                        + "'; pass a path such as \"/health\".");
            }
            if (lowest < 100 || highest > 599 || lowest > highest) {
                throw new InvalidInputException("An HTTP readiness status must be from 100 to 599, but was " + lowest
                        + (lowest == highest ? "" : ".." + highest) + "; pass a status such as 200.");
            }
        }

        @Override
        public String toString() {
            return "GET " + path + " on port " + port + " answering " + (lowest == highest ? "" + lowest
                    : lowest + ".." + highest);
        }
    }
}
