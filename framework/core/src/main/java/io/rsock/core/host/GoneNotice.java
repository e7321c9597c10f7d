package io.rsock.core.host;

import io.rsock.api.Conn;
import io.rsock.core.frame.Association;
import io.rsock.core.frame.ConnGone;
import io.rsock.core.frame.FrameSender;
import io.rsock.core.frame.FrameType;
import io.rsock.core.pool.ConnSource;
import io.rsock.core.pool.SizeClass;
import java.nio.ByteBuffer;
import java.util.function.Function;

/**
 * Tells the other end that a conn died here (an RST or FIN came on it), so that it stops sending
 * into the dead 4-tuple now rather than when its heartbeats go unanswered: a CONN_GONE frame on two
 * other live conns where there are two (one may be the lossy one). When no conn is left to carry it
 * (every conn reset at once), the notice waits for the next conn that opens ({@link #flush}). The
 * frame is keyed under the association like any other (a stranger cannot forge or replay one).
 */
final class GoneNotice<T> {
    /** Notices kept for the next conn; older ones make room (their conns are long silent by then). */
    private static final int PENDING = 32;
    private static final int TRIES = 4;

    private final ConnSource<T> source;
    private final Function<T, Conn> connOf;
    private final Function<T, Association> associationOf;
    private final int[] pending = new int[PENDING];
    private int pendingCount;
    private final ByteBuffer payload = ByteBuffer.allocate(ConnGone.SIZE);

    /** @param associationOf the keys to send on what the source picks (null while not known) */
    GoneNotice(ConnSource<T> source, Function<T, Conn> connOf, Function<T, Association> associationOf) {
        this.source = source;
        this.connOf = connOf;
        this.associationOf = associationOf;
    }

    /**
     * Sends the notice for {@code connId} with {@code sender} (the caller owns it); returns on how
     * many conns it went (0: it waits for the next conn).
     */
    synchronized int tell(FrameSender sender, int clientId, int connId, long now) {
        Conn first = null;
        int sent = 0;
        for (int i = 0; i < TRIES && sent < 2; i++) {
            T t = source.pick(SizeClass.SMALL, now);
            Conn c = t == null ? null : connOf.apply(t);
            Association a = t == null ? null : associationOf.apply(t);
            if (c == null || a == null) {
                break;
            }
            if (c != first && sender.send(c, a, FrameType.CONN_GONE, clientId, 0, ConnGone.write(payload, connId))) {
                first = first == null ? c : first;
                sent++;
            }
        }
        if (sent == 0) {
            pending[pendingCount++ % PENDING] = connId;
        }
        return sent;
    }

    /** {@code t}'s conn opened and is keyed: the notices no conn could carry go out on it. Returns how many. */
    synchronized int flush(T t, FrameSender sender, int clientId) {
        Conn conn = connOf.apply(t);
        Association a = associationOf.apply(t);
        if (conn == null || a == null || pendingCount == 0) {
            return 0;
        }
        int n = Math.min(pendingCount, PENDING);
        for (int i = 0; i < n; i++) {
            sender.send(conn, a, FrameType.CONN_GONE, clientId, 0, ConnGone.write(payload, pending[i]));
        }
        pendingCount = 0;
        return n;
    }
}
