package io.rsock.api;

/** A monotonically increasing count the host reports in {@code rsock status} and metrics. Cheap and thread-safe. */
public interface Counter {
    void add(long delta);

    default void increment() {
        add(1);
    }

    long get();
}
