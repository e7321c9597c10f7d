package io.rsock.core.host;

import io.rsock.core.frame.Association;
import io.rsock.core.pool.ConnSource;
import io.rsock.core.pool.Rotation;
import io.rsock.core.pool.SharedFate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client as the server sees it: its id and the conns that carried its authenticated frames. A
 * reply to any of the client's sessions may go out on any of those conns that is live, each getting
 * a share of the replies of each frame size by what the client reports it received there.
 */
final class ClientState implements ConnSource<ServerConn> {
    final int clientId;
    /** Live sessions of this client; a client with none and no conn is forgotten. */
    final AtomicInteger sessions = new AtomicInteger();
    /** The keys and replay window of the client's run with this server's run: set by its HELLO ({@link ServerHandshake}). */
    volatile Association association;
    /** When a HELLO last admitted it: a client is not let go before its first keyed frames can arrive. */
    volatile long admittedNanos;
    private volatile ServerConn[] conns = new ServerConn[0];
    /** One per transport: the client's conns that likely share a bottleneck. */
    private final Map<String, SharedFate> fates = new HashMap<>();
    /** Tells the client which of its conns died here. */
    final GoneNotice<ServerConn> goneNotice = new GoneNotice<>(this, c -> c.out, c -> association);
    /** The conns weighed by their delivery; rebuilt when they or their weights change. */
    private volatile Rotation<ServerConn> rotation = Rotation.empty();
    /** Before the first heartbeat says otherwise (clients send one every 250 ms by default). */
    private static final long DEFAULT_LIVE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private volatile long liveNanos = DEFAULT_LIVE_NANOS;
    /**
     * The client's sessions by session id (ids are consecutive, so a slot per id & 1023): the
     * server's table is keyed by a boxed long, which would allocate per datagram. A hint only: the
     * table stays the truth, a missing or closed entry falls back to it.
     */
    private final ServerSession[] recent = new ServerSession[1024];

    ClientState(int clientId, long admittedNanos) {
        this.clientId = clientId;
        this.admittedNanos = admittedNanos;
    }

    /**
     * Adds {@code c} to the client's conns; when it already holds {@code max}, the least recently seen
     * one leaves to make room and is returned (the caller closes it), else null.
     */
    synchronized ServerConn attach(ServerConn c, int max) {
        for (ServerConn x : conns) {
            if (x == c) {
                return null;
            }
        }
        ServerConn evicted = null;
        if (conns.length >= max) {
            for (ServerConn x : conns) {
                if (evicted == null || x.lastSeenNanos - evicted.lastSeenNanos < 0) {
                    evicted = x;
                }
            }
            detach(evicted);
        }
        c.delivery.outbound().shareFate(fates.computeIfAbsent(c.conn.info().type(), t -> new SharedFate()));
        ServerConn[] next = Arrays.copyOf(conns, conns.length + 1);
        next[conns.length] = c;
        conns = next;
        reweigh();
        return evicted;
    }

    synchronized void detach(ServerConn c) {
        List<ServerConn> keep = new ArrayList<>(conns.length);
        for (ServerConn x : conns) {
            if (x != c) {
                keep.add(x);
            }
        }
        conns = keep.toArray(new ServerConn[0]);
        reweigh();
    }

    /** A conn's delivery figures changed: the rotation follows. */
    synchronized void reweigh() {
        rotation = Rotation.of(List.of(conns),
                (c, sizeClass) -> Rotation.weightOf(c.delivery.outbound().share(sizeClass) * c.delivery.answerFactor()));
    }

    /** The client's conn it knows as {@code connId}, or null. */
    ServerConn find(int connId) {
        for (ServerConn c : conns) {
            if (c.delivery.connId() == connId) {
                return c;
            }
        }
        return null;
    }

    /** The live session {@code sessionId} if it is in the hint, else null (ask the table). */
    ServerSession cachedSession(int sessionId) {
        ServerSession s = recent[sessionId & (recent.length - 1)];
        return s != null && s.sessionId == sessionId && s.target.isOpen() ? s : null;
    }

    void cacheSession(ServerSession s) {
        recent[s.sessionId & (recent.length - 1)] = s;
    }

    void forgetSession(ServerSession s) {
        int i = s.sessionId & (recent.length - 1);
        if (recent[i] == s) {
            recent[i] = null;
        }
    }

    int connCount() {
        return conns.length;
    }

    /** No conn, no session, and no HELLO within {@code graceNanos}: the server may let go of it. */
    boolean idle(long nowNanos, long graceNanos) {
        return conns.length == 0 && sessions.get() == 0 && nowNanos - admittedNanos > graceNanos;
    }

    /**
     * Each conn: what it is ({@code type local <- remote}, the remote as the client's packets come,
     * after any NAT), its bytes each way, how long since it carried a frame, how much of what the
     * server sent on it lately arrived, and its share of the replies of each size.
     */
    List<Map<String, Object>> describeConns(long now) {
        List<Map<String, Object>> out = new ArrayList<>();
        Rotation<ServerConn> r = rotation;
        for (ServerConn c : conns) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("conn", c.conn.info().toString());
            m.put("transport", c.conn.info().type());
            m.put("bytes_in", c.bytesIn.sum());
            m.put("bytes_out", c.bytesOut.sum());
            m.put("idle_ms", Math.max(0, (now - c.lastSeenNanos) / 1_000_000));
            m.put("delivered_down", DeliveryStatus.fraction(c.delivery.outbound().delivered()));
            m.put("share", DeliveryStatus.shares(sizeClass -> r.share(c, sizeClass)));
            out.add(m);
        }
        return out;
    }

    /**
     * Heartbeats arrive on every conn of the client this often: a conn that missed three of them
     * (its path may be dropping everything) gets no more replies until it carries a frame again.
     */
    void heartbeatSpacing(int millis) {
        long spacing = TimeUnit.MILLISECONDS.toNanos(Math.max(10, Math.min(60_000, millis)));
        liveNanos = 3 * spacing + SLACK_NANOS;
    }

    /**
     * A conn to send a frame of {@code sizeClass} on: drawn by the conns' weights among those that
     * carried a frame within three heartbeat spacings; failing that, the most recently seen one.
     * Null when the client has no conn.
     */
    @Override
    public ServerConn pick(int sizeClass, long now) {
        Rotation<ServerConn> r = rotation;
        int n = r.size();
        if (n == 0) {
            return null;
        }
        long live = liveNanos;
        int start = r.pick(sizeClass);
        ServerConn freshest = null;
        for (int i = 0; i < n; i++) {
            ServerConn c = r.member((start + i) % n);
            if (now - c.lastSeenNanos <= live && c.conn.isOpen()) {
                return c;
            }
            if (freshest == null || c.lastSeenNanos - freshest.lastSeenNanos > 0) {
                freshest = c;
            }
        }
        return freshest;
    }
}
