package io.rsock.core.host;

import io.rsock.api.Conn;
import io.rsock.core.pool.ConnDelivery;
import io.rsock.core.pool.CountingConn;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the server knows of one conn a client opened: whom it authenticated as, when it last
 * carried an authenticated frame, and what it delivers. A conn that has not authenticated carries
 * nothing to anyone.
 */
final class ServerConn {
    final Conn conn;
    /** {@link #conn}, counting what the server sends on it: every send goes through here. */
    final Conn out;
    /** The conn's delivery both ways, as the client's heartbeats tell it. */
    final ConnDelivery delivery = new ConnDelivery();
    final long openedNanos;
    /** The authenticated client, or null before the first good frame. */
    volatile ClientState client;
    /**
     * A HELLO was admitted on it: frames that follow and fail may be keyed to the server's previous run
     * (the client has not read the HELLO_ACK yet), so they do not close the conn; a conn that never
     * carries a keyed frame still closes after {@link TunnelServer#AUTH_TIMEOUT_NANOS}.
     */
    volatile boolean helloAdmitted;
    volatile long lastSeenNanos;
    /** Frame bytes received and sent on this conn. */
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();

    ServerConn(Conn conn, long openedNanos) {
        this.conn = conn;
        this.out = new CountingConn(conn, delivery.sent());
        this.openedNanos = openedNanos;
    }
}
