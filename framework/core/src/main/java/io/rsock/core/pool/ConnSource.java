package io.rsock.core.pool;

/** Where a sender gets the conn for a frame: the client's pool, or the server's conns of one client. */
@FunctionalInterface
public interface ConnSource<T> {
    /** A conn to send a frame of {@code sizeClass} on at {@code now}, or null when there is none. */
    T pick(int sizeClass, long now);
}
