package io.rsock.core.pool;

import io.rsock.api.Conn;
import java.nio.ByteBuffer;

/** What the client's pool hands to the tunnel client: the frames its conns receive. */
@FunctionalInterface
public interface PoolListener {
    /** {@code frames} (one or more frames back to back) arrived on {@code conn} of {@code slot}; valid only during the call. */
    void received(PoolSlot slot, Conn conn, ByteBuffer frames);
}
