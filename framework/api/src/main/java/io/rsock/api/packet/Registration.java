package io.rsock.api.packet;

/** Something registered with the host (a capture filter, a firewall rule) that {@link #close()} undoes. Idempotent. */
public interface Registration extends AutoCloseable {
    @Override
    void close();
}
