package io.rsock.core.cli;

/** A run could not start for a reason outside the user's flags (no privilege, port in use...): one line, exit code 1. */
final class StartupException extends Exception {
    StartupException(String message) {
        super(message);
    }

    StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
