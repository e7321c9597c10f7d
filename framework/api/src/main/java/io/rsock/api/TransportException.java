package io.rsock.api;

/** A transport cannot do what was asked. Its message is shown to the user: say what is wrong and what to do. */
public class TransportException extends Exception {
    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
