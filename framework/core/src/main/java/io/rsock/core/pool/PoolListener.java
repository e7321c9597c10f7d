package io.rsock.core.pool;

import io.rsock.api.Conn;
import java.nio.ByteBuffer;

/** What the client's pool hands to the tunnel client: the frames its conns receive, and new conns. */
@FunctionalInterface
public interface PoolListener {
    /** {@code frames} (one or more frames back to back) arrived on {@code conn} of {@code slot}; valid only during the call. */
    void received(PoolSlot slot, Conn conn, ByteBuffer frames);

    /** {@link #received}, and whether the frames authenticated (see {@code ConnHandler.receivedAuthentic}). */
    default boolean receivedAuthentic(PoolSlot slot, Conn conn, ByteBuffer frames) {
        received(slot, conn, frames);
        return true;
    }

    /** {@code slot}'s conn just opened; it joins the pool's rotation when this returns. */
    default void opened(PoolSlot slot) {
    }

    /**
     * The pool is about to close {@code conn} on purpose (idle, silent, shutdown): the last chance
     * to tell the server, which could otherwise keep sending replies on it.
     */
    default void closing(PoolSlot slot, Conn conn) {
    }

    /**
     * {@code slot}'s conn, known to both ends as {@code connId}, was reset or finished by the
     * network or the server: tell the server on another conn, which may still think it open.
     */
    default void died(PoolSlot slot, int connId) {
    }
}
