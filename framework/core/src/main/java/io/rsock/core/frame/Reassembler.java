package io.rsock.core.frame;

import io.rsock.api.Counter;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Puts back together a datagram that did not fit one packet and was sent as up to 15 fragment
 * frames. Fragment {@code i} of {@code n} carries counter {@code base + i}, so (client, base) names
 * the datagram. Bounded: at most {@code maxPending} datagrams are half-assembled at once, holding at
 * most {@code maxBytes} of fragments between them (a count alone let 256 datagrams of 15 large
 * fragments hold about 240 MiB), each for at most {@code timeout}; what is dropped is counted.
 * Fragments are rare (kcptun's 1 350-byte packets fit), so this path may allocate and lock.
 */
public final class Reassembler {
    /** The byte budget of {@link #Reassembler(int, long, Counter, Counter)}: hundreds of path-MTU datagrams. */
    public static final long DEFAULT_MAX_BYTES = 16L << 20;

    private final int maxPending;
    private final long maxBytes;
    private final long timeoutNanos;
    private final Counter dropped;
    private final Counter evicted;
    private final Map<Long, Pending> pending = new LinkedHashMap<>();
    private long heldBytes;

    /** A reassembler with the {@link #DEFAULT_MAX_BYTES} budget. */
    public Reassembler(int maxPending, long timeoutNanos, Counter dropped, Counter evicted) {
        this(maxPending, DEFAULT_MAX_BYTES, timeoutNanos, dropped, evicted);
    }

    /**
     * @param dropped counts fragments dropped as bad or duplicate, and datagrams given up on (timeout or eviction)
     * @param evicted counts datagrams dropped half-assembled to make room (count or bytes)
     */
    public Reassembler(int maxPending, long maxBytes, long timeoutNanos, Counter dropped, Counter evicted) {
        this.maxPending = maxPending;
        this.maxBytes = maxBytes;
        this.timeoutNanos = timeoutNanos;
        this.dropped = dropped;
        this.evicted = evicted;
    }

    /** Splits {@code fragment} into (index, count); a whole datagram has count 0. */
    public static int fragmentByte(int index, int count) {
        return (index << 4) | count;
    }

    /**
     * Adds one fragment, the payload bytes {@code [off, off+len)} of {@code src}.
     *
     * @return the whole datagram once its last fragment arrived, else null
     */
    public synchronized ByteBuffer add(int clientId, long counter, int fragment, ByteBuffer src, int off, int len,
            long nowNanos) {
        int index = fragment >>> 4;
        int count = fragment & 0x0F;
        if (count < 2 || index >= count) {
            dropped.increment();
            return null;
        }
        // The sender's counter names the datagram; the client id's low bits only keep two clients'
        // datagrams apart in the rare case their counters meet (a mix-up is caught as inconsistent).
        long key = ((long) (clientId & 0xFFFF) << 48) | ((counter - index) & FrameCodec.COUNTER_MASK);
        Pending p = pending.get(key);
        if (p == null) {
            expire(nowNanos);
            if (pending.size() >= maxPending) {
                evictOldest();
            }
            p = new Pending(count, nowNanos);
            pending.put(key, p);
        }
        if (p.parts.length != count || p.parts[index] != null) {
            dropped.increment(); // inconsistent or duplicate fragment
            return null;
        }
        while (heldBytes + len > maxBytes && pending.size() > 1 && pending.values().iterator().next() != p) {
            evictOldest();
        }
        if (heldBytes + len > maxBytes) {
            forget(key, p); // the datagram alone is beyond the budget, or it is the oldest: give it up
            dropped.increment();
            evicted.increment();
            return null;
        }
        byte[] part = new byte[len];
        src.get(off, part);
        p.parts[index] = part;
        p.bytes += len;
        heldBytes += len;
        if (++p.received < count) {
            return null;
        }
        forget(key, p);
        ByteBuffer whole = ByteBuffer.allocate(p.bytes);
        for (byte[] b : p.parts) {
            whole.put(b);
        }
        return whole.flip();
    }

    /** Drops half-assembled datagrams older than the timeout. */
    public synchronized void expire(long nowNanos) {
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (nowNanos - p.startedNanos >= timeoutNanos) {
                it.remove();
                heldBytes -= p.bytes;
                dropped.increment();
            }
        }
    }

    public synchronized int pendingCount() {
        return pending.size();
    }

    /** Bytes of fragments held now. */
    public synchronized long heldBytes() {
        return heldBytes;
    }

    private void evictOldest() {
        Iterator<Pending> oldest = pending.values().iterator();
        Pending p = oldest.next();
        oldest.remove();
        heldBytes -= p.bytes;
        dropped.increment();
        evicted.increment();
    }

    private void forget(long key, Pending p) {
        pending.remove(key);
        heldBytes -= p.bytes;
    }

    private static final class Pending {
        final byte[][] parts;
        final long startedNanos;
        int received;
        int bytes;

        Pending(int count, long startedNanos) {
            this.parts = new byte[count][];
            this.startedNanos = startedNanos;
        }
    }
}
