package io.rsock.core.frame;

import io.rsock.api.Counter;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Puts back together a datagram that did not fit one packet and was sent as up to 15 fragment
 * frames. Fragment {@code i} of {@code n} carries counter {@code base + i}, so (client, base) names
 * the datagram. Bounded: at most {@code maxPending} datagrams are half-assembled at once, each for at
 * most {@code timeout}; what is dropped is counted. Fragments are rare (kcptun's 1 350-byte packets
 * fit), so this path may allocate and lock.
 */
public final class Reassembler {
    private final int maxPending;
    private final long timeoutNanos;
    private final Counter dropped;
    private final Counter evicted;
    private final Map<Long, Pending> pending = new LinkedHashMap<>();

    /**
     * @param dropped counts fragments dropped as bad or duplicate, and datagrams given up on (timeout or eviction)
     * @param evicted counts datagrams dropped half-assembled because {@code maxPending} others were
     */
    public Reassembler(int maxPending, long timeoutNanos, Counter dropped, Counter evicted) {
        this.maxPending = maxPending;
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
                Iterator<Pending> oldest = pending.values().iterator();
                oldest.next();
                oldest.remove();
                dropped.increment();
                evicted.increment();
            }
            p = new Pending(count, nowNanos);
            pending.put(key, p);
        }
        if (p.parts.length != count || p.parts[index] != null) {
            dropped.increment(); // inconsistent or duplicate fragment
            return null;
        }
        byte[] part = new byte[len];
        src.get(off, part);
        p.parts[index] = part;
        p.bytes += len;
        if (++p.received < count) {
            return null;
        }
        pending.remove(key);
        ByteBuffer whole = ByteBuffer.allocate(p.bytes);
        for (byte[] b : p.parts) {
            whole.put(b);
        }
        return whole.flip();
    }

    /** Drops half-assembled datagrams older than the timeout. */
    public synchronized void expire(long nowNanos) {
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
            if (nowNanos - it.next().startedNanos >= timeoutNanos) {
                it.remove();
                dropped.increment();
            }
        }
    }

    public synchronized int pendingCount() {
        return pending.size();
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
