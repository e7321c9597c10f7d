package io.rsock.core.host;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client as the server sees it: its id and the conns that carried its authenticated frames. A
 * reply to any of the client's sessions may go out on any of those conns that is live.
 */
final class ClientState {
    final int clientId;
    /** Live sessions of this client; a client with none and no conn is forgotten. */
    final AtomicInteger sessions = new AtomicInteger();
    /** The client's frame counters seen, for anti-replay. */
    final io.rsock.core.frame.ReplayWindow replay = new io.rsock.core.frame.ReplayWindow();
    private volatile ServerConn[] conns = new ServerConn[0];
    private final AtomicInteger roundRobin = new AtomicInteger();

    ClientState(int clientId) {
        this.clientId = clientId;
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
        ServerConn[] next = java.util.Arrays.copyOf(conns, conns.length + 1);
        next[conns.length] = c;
        conns = next;
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
    }

    int connCount() {
        return conns.length;
    }

    /** Each conn as {@code type local <- remote}: where the client's packets come from, after any NAT. */
    List<String> describeConns() {
        List<String> out = new ArrayList<>();
        for (ServerConn c : conns) {
            out.add(c.conn.info().toString());
        }
        return out;
    }

    /**
     * A conn to send on, round robin over those that carried a frame within {@code liveNanos};
     * failing that, the most recently seen one. Null when the client has no conn.
     */
    ServerConn pick(long now, long liveNanos) {
        ServerConn[] arr = conns;
        int n = arr.length;
        if (n == 0) {
            return null;
        }
        int start = roundRobin.getAndIncrement() & Integer.MAX_VALUE;
        ServerConn freshest = null;
        for (int i = 0; i < n; i++) {
            ServerConn c = arr[(start + i) % n];
            if (now - c.lastSeenNanos <= liveNanos && c.conn.isOpen()) {
                return c;
            }
            if (freshest == null || c.lastSeenNanos - freshest.lastSeenNanos > 0) {
                freshest = c;
            }
        }
        return freshest;
    }
}
