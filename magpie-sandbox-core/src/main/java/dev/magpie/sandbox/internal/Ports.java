package dev.magpie.sandbox.internal;

import dev.magpie.sandbox.InvalidInputException;

/** The rule every port given to this library follows. */
public final class Ports {

    private Ports() {
    }

    public static int check(int port) {
        if (port < 1 || port > 65535) {
            throw new InvalidInputException("A port must be from 1 to 65535, but was " + port
                    + "; pass the port the service listens on inside the workspace.");
        }
        return port;
    }
}
