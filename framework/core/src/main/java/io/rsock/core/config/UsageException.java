package io.rsock.core.config;

/** The user asked for something that cannot be: shown as one line, exit code 2. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
