package io.rsock.core.host;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.function.BiConsumer;

/**
 * App datagrams that arrived while the client had no conn to send them on (idle mode's wake-up),
 * kept in order until the first conn opens. Bounded in count and bytes: beyond, a datagram is
 * refused (the caller counts it as lost, like any other). Copies are made here because this is the
 * rare path; the steady state never queues.
 */
final class WaitingDatagrams {
    private record Entry(ClientSession session, ByteBuffer datagram, long sinceNanos) {
    }

    private final int maxCount;
    private final int maxBytes;
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private int bytes;
    /** The queue's length, readable without the lock: the app's reader asks for every datagram. */
    private volatile int count;

    WaitingDatagrams(int maxCount, int maxBytes) {
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
    }

    /** Keeps a copy of {@code datagram}'s remaining bytes; false when full. */
    synchronized boolean offer(ClientSession session, ByteBuffer datagram, long now) {
        if (queue.size() >= maxCount || bytes + datagram.remaining() > maxBytes) {
            return false;
        }
        ByteBuffer copy = ByteBuffer.allocate(datagram.remaining());
        copy.put(datagram.duplicate()).flip();
        queue.add(new Entry(session, copy, now));
        bytes += copy.remaining();
        count = queue.size();
        return true;
    }

    /** Whether nothing waits; without the lock, so a moment old: decide under the lock. */
    boolean isEmpty() {
        return count == 0;
    }

    /** Hands every datagram, oldest first, to {@code send}, and forgets them. */
    synchronized void drain(BiConsumer<ClientSession, ByteBuffer> send) {
        Entry e;
        while ((e = queue.poll()) != null) {
            send.accept(e.session(), e.datagram());
        }
        bytes = 0;
        count = 0;
    }

    /** Drops what has waited longer than {@code maxAgeNanos} (no conn came up); returns how many. */
    synchronized int expire(long now, long maxAgeNanos) {
        int dropped = 0;
        while (!queue.isEmpty() && now - queue.peek().sinceNanos() > maxAgeNanos) {
            bytes -= queue.poll().datagram().capacity();
            dropped++;
        }
        count = queue.size();
        return dropped;
    }
}
