package io.rsock.core.pool;

import io.rsock.api.ConnTransport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The client's conns to its servers: one {@link PoolSlot} per (transport, server, port). Spreads
 * datagrams over the open conns, preferring those that answer heartbeats in time, and keeps every
 * slot dialled.
 */
public final class ConnPool {
    /** Copy on write: {@code rsock reload} adds and removes slots while heartbeats and status iterate. */
    private final List<PoolSlot> slots = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler;
    private final Backoff backoff;
    private final PoolListener listener;
    private final LongSupplier clock;
    private final AtomicInteger roundRobin = new AtomicInteger();
    private volatile PoolSlot[] open = new PoolSlot[0];

    public ConnPool(ScheduledExecutorService scheduler, Backoff backoff, PoolListener listener, LongSupplier clock) {
        this.scheduler = scheduler;
        this.backoff = backoff;
        this.listener = listener;
        this.clock = clock;
    }

    /** Adds a slot for {@code server} over {@code transport}; call before {@link #start}. */
    public void add(ConnTransport transport, InetSocketAddress server) {
        slots.add(new PoolSlot(this, transport, server));
    }

    /** At run time ({@code rsock reload}): a slot for {@code server} over {@code transport}, dialled at once. */
    public PoolSlot addAndDial(ConnTransport transport, InetSocketAddress server) {
        PoolSlot s = new PoolSlot(this, transport, server);
        slots.add(s);
        s.dial();
        return s;
    }

    /**
     * The server keeps sending replies on a conn for a while after its last frame (its live window,
     * 5 s); a removed slot's conn keeps receiving that long before it closes, so no reply is lost.
     */
    static final long DRAIN_MILLIS = 6_000;

    /**
     * At run time ({@code rsock reload}): takes the slot out of the rotation and out of the
     * heartbeats at once (the server then stops choosing its conn within its live window), and
     * closes its conn for good after {@link #DRAIN_MILLIS}, having received what was under way.
     */
    public void remove(PoolSlot slot) {
        slots.remove(slot);
        membershipChanged();
        scheduler.schedule(slot::stop, DRAIN_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Dials every slot. */
    public void start() {
        slots.forEach(PoolSlot::dial);
    }

    /**
     * An open conn to send the next datagram on: round robin over the healthy ones, or over all open
     * ones when none is healthy (better a lossy conn than none). Null when no conn is open.
     */
    public PoolSlot pick() {
        PoolSlot[] arr = open;
        int n = arr.length;
        if (n == 0) {
            return null;
        }
        int start = roundRobin.getAndIncrement() & Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            PoolSlot s = arr[(start + i) % n];
            if (s.healthy()) {
                return s;
            }
        }
        return arr[start % n];
    }

    /** Every slot, for heartbeats and status. */
    public List<PoolSlot> slots() {
        return slots;
    }

    /** How many conns are open now. */
    public int openCount() {
        return open.length;
    }

    /** A heartbeat answer came on {@code slot}: it is healthy, and its backoff starts afresh. */
    public void proven(PoolSlot slot) {
        slot.healthy(true);
        slot.proven();
    }

    /**
     * Judges every open conn by how long it has been silent: one that missed about one and a half
     * heartbeats leaves the rotation (while it still gets heartbeats, to come back when answered);
     * one silent for four heartbeats is dropped and redialled.
     */
    public void checkHealth(long now, long heartbeatNanos) {
        for (PoolSlot s : slots) {
            if (s.state() != PoolSlot.State.OPEN) {
                continue;
            }
            long silent = now - s.health().lastAnswerNanos();
            long rttSlack = 2 * Math.max(0, s.health().srttNanos());
            if (silent > 4 * heartbeatNanos + rttSlack) {
                s.kill();
            } else {
                s.healthy(silent <= heartbeatNanos * 3 / 2 + rttSlack);
            }
        }
    }

    /** Closes every conn and stops redialling. */
    public void stop() {
        slots.forEach(PoolSlot::stop);
        open = new PoolSlot[0];
    }

    void membershipChanged() {
        List<PoolSlot> now = new ArrayList<>(slots.size());
        for (PoolSlot s : slots) {
            if (s.state() == PoolSlot.State.OPEN) {
                now.add(s);
            }
        }
        open = now.toArray(new PoolSlot[0]);
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    Backoff backoff() {
        return backoff;
    }

    PoolListener listener() {
        return listener;
    }

    long nanoTime() {
        return clock.getAsLong();
    }
}
