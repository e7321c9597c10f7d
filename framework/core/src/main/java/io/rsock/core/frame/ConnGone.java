package io.rsock.core.frame;

import java.nio.ByteBuffer;

/**
 * The payload of a CONN_GONE frame: the id of a conn that died at the sender's end (an RST or FIN
 * came on it), sent on another conn so the other end stops using it at once rather than after its
 * heartbeats go unanswered. The id is the one the client's heartbeats carry on that conn
 * ({@link Heartbeat#connId}). 4 bytes, big-endian.
 */
public final class ConnGone {
    public static final int SIZE = 4;

    private ConnGone() {
    }

    /** Writes the payload into {@code buf} (cleared) and flips it for sending. */
    public static ByteBuffer write(ByteBuffer buf, int connId) {
        buf.clear();
        return buf.putInt(connId).flip();
    }

    public static int connId(ByteBuffer buf, int payloadOffset) {
        return buf.getInt(payloadOffset);
    }
}
