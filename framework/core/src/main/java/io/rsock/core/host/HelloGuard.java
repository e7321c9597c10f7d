package io.rsock.core.host;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Lets a HELLO through only while it is fresh and only once: its wall-clock time must be within
 * {@link #FRESH_MILLIS} of the server's, and its nonce must not have been seen. A nonce is remembered
 * for {@link #MEMORY_NANOS} of the server's monotonic clock: a HELLO within the freshness bound of
 * both clocks when it first came is stale by then, so a copy of it is refused either way. The memory
 * is bounded: when it is full of nonces still remembered, new HELLOs are refused (and never answered)
 * until room is made, rather than forgetting a nonce whose HELLO could still be replayed.
 *
 * <p>Thread-safe; HELLOs are rare (one per new conn), so one lock is enough.
 */
final class HelloGuard {
    /** How far a HELLO's time may be from the server's: both clocks must agree within this (NTP). */
    static final long FRESH_MILLIS = 30_000;
    /** A HELLO of time t is accepted while now is in [t - 30 s, t + 30 s]: remembering it for 60 s plus slack covers that. */
    static final long MEMORY_NANOS = TimeUnit.MILLISECONDS.toNanos(2 * FRESH_MILLIS + 1_000);
    /** Nonces remembered at most: at 1 000 new conns a second, a minute's worth. */
    static final int DEFAULT_CAPACITY = 65_536;

    /** What {@link #check} says of a HELLO. */
    enum Verdict { FRESH, STALE, REPLAYED, FULL }

    private final int capacity;
    private final LongSupplier wallMillis;
    private final LongSupplier monotonicNanos;
    /** Nonce to when it may be forgotten; insertion order is expiry order. */
    private final Map<Long, Long> seen = new LinkedHashMap<>();

    HelloGuard(int capacity, LongSupplier wallMillis, LongSupplier monotonicNanos) {
        this.capacity = capacity;
        this.wallMillis = wallMillis;
        this.monotonicNanos = monotonicNanos;
    }

    /** Whether a HELLO sent at {@code helloMillis} with {@code nonce} may be answered; a FRESH one is remembered. */
    synchronized Verdict check(long helloMillis, long nonce) {
        if (Math.abs(wallMillis.getAsLong() - helloMillis) > FRESH_MILLIS) {
            return Verdict.STALE;
        }
        long now = monotonicNanos.getAsLong();
        forgetExpired(now);
        if (seen.containsKey(nonce)) {
            return Verdict.REPLAYED;
        }
        if (seen.size() >= capacity) {
            return Verdict.FULL;
        }
        seen.put(nonce, now + MEMORY_NANOS);
        return Verdict.FRESH;
    }

    synchronized int remembered() {
        return seen.size();
    }

    private void forgetExpired(long now) {
        for (Iterator<Long> it = seen.values().iterator(); it.hasNext(); ) {
            if (now - it.next() < 0) {
                return;
            }
            it.remove();
        }
    }
}
