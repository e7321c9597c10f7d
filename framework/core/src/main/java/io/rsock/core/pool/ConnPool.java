package io.rsock.core.pool;

import io.rsock.api.ConnTransport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The client's conns to its servers: one {@link PoolSlot} per (transport, server, port), over every
 * transport of the run and every server of {@code -t}. Spreads datagrams over the open conns in
 * proportion to their health (heartbeat loss and RTT), so a path that fails, whatever its
 * transport or server, stops carrying traffic within a heartbeat while the others take it over;
 * and keeps every slot dialled.
 */
public final class ConnPool {
    /** Copy on write: ports rotate ({@code --random-ports}) or change ({@code rsock reload}) while heartbeats and status iterate. */
    private final List<PoolSlot> slots = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler;
    private final Backoff backoff;
    private final PoolListener listener;
    private final LongSupplier clock;
    private final AtomicInteger roundRobin = new AtomicInteger();
    /** What {@link #pick} walks: open conns repeated by weight. Rebuilt by the health check, read per datagram. */
    private volatile PoolSlot[] schedule = new PoolSlot[0];
    private volatile int open;
    private volatile boolean started;
    private List<PoolSlot> planned = List.of();
    private int[] plannedWeights = new int[0];

    /** How long a retired conn stays open for the replies already sent on it. */
    static final long RETIRE_GRACE_MILLIS = 1000;

    /** The most traffic shares a conn gets (its weight when perfect). */
    static final int MAX_WEIGHT = 8;

    public ConnPool(ScheduledExecutorService scheduler, Backoff backoff, PoolListener listener, LongSupplier clock) {
        this.scheduler = scheduler;
        this.backoff = backoff;
        this.listener = listener;
        this.clock = clock;
    }

    /** Adds a slot for {@code server} over {@code transport}; dialled by {@link #start}, or at once when started. */
    public PoolSlot add(ConnTransport transport, InetSocketAddress server) {
        PoolSlot slot = new PoolSlot(this, transport, server);
        slots.add(slot);
        if (started) {
            slot.dial();
        }
        return slot;
    }

    /**
     * Its port left the rotation: takes {@code slot} out of the traffic at once and tells the server
     * (no more replies on it), but closes the conn only after {@link #RETIRE_GRACE_MILLIS}, so that
     * replies already on their way still arrive; then forgets the slot.
     */
    public void remove(PoolSlot slot) {
        if (!slot.retire()) {
            return;
        }
        membershipChanged();
        scheduler.schedule(() -> {
            slots.remove(slot);
            slot.stop();
            membershipChanged();
        }, RETIRE_GRACE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Dials every slot. */
    public void start() {
        started = true;
        slots.forEach(PoolSlot::dial);
    }

    /**
     * An open conn to send the next datagram on. Healthy conns share the traffic in proportion to
     * their {@link #weight weights} (smooth weighted round robin over a schedule rebuilt at each
     * health check, so a pick is two reads and an increment); when none is healthy, all open conns
     * share it equally (better a lossy conn than none). Null when no conn is open.
     */
    public PoolSlot pick() {
        PoolSlot[] plan = schedule;
        int n = plan.length;
        if (n == 0) {
            return null;
        }
        int start = roundRobin.getAndIncrement() & Integer.MAX_VALUE;
        PoolSlot s = plan[start % n];
        if (s.conn() != null) {
            return s;
        }
        for (int i = 1; i < n; i++) { // it closed since the last plan: take the next live one
            s = plan[(start + i) % n];
            if (s.conn() != null) {
                return s;
            }
        }
        return null;
    }

    /**
     * A healthy conn's share of the traffic, 1 to {@value #MAX_WEIGHT}: the fewer heartbeats it
     * loses and the closer its RTT to the best conn's, the more it gets. RTTs are compared with a
     * millisecond of slack so that microsecond differences between equally good paths do not matter.
     */
    static int weight(double loss, long srttNanos, long bestSrttNanos) {
        double delivered = 1 - Math.min(1, Math.max(0, loss));
        double speed = srttNanos <= 0 || bestSrttNanos <= 0 ? 1
                : Math.min(1, (bestSrttNanos + 1_000_000.0) / (srttNanos + 1_000_000.0));
        return (int) Math.max(1, Math.round(MAX_WEIGHT * delivered * delivered * speed));
    }

    /** Each slot repeated by its weight, interleaved (nginx's smooth weighted round robin). */
    static PoolSlot[] plan(List<PoolSlot> slots, int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        PoolSlot[] out = new PoolSlot[total];
        int[] current = new int[weights.length];
        for (int k = 0; k < total; k++) {
            int best = 0;
            for (int i = 0; i < weights.length; i++) {
                current[i] += weights[i];
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            out[k] = slots.get(best);
        }
        return out;
    }

    /** Every slot, for heartbeats and status. */
    public List<PoolSlot> slots() {
        return slots;
    }

    /** How many conns are open now. */
    public int openCount() {
        return open;
    }

    /** A heartbeat answer came on {@code slot}: it is healthy, and its backoff starts afresh. */
    public void proven(PoolSlot slot) {
        slot.healthy(true);
        slot.proven();
    }

    /**
     * Judges every open conn by its heartbeats (sent every half interval): one silent for more than
     * three quarters of an interval (plus twice its RTT) has missed an answer and leaves the rotation
     * at once, so a path that starts dropping everything stops carrying traffic within about one
     * heartbeat interval; it keeps getting heartbeats and comes back with the first answer. A conn
     * is not trusted before its first answer, and one silent for four intervals is redialled. Then
     * the healthy conns' weights are recomputed.
     */
    public synchronized void checkHealth(long now, long heartbeatNanos) {
        long best = Long.MAX_VALUE;
        for (PoolSlot s : slots) {
            if (s.state() != PoolSlot.State.OPEN || s.retiring()) {
                continue;
            }
            long srtt = s.health().srttNanos();
            long silent = now - s.health().lastAnswerNanos();
            long rttSlack = 2 * Math.max(0, srtt);
            if (silent > 4 * heartbeatNanos + rttSlack) {
                s.kill();
                continue;
            }
            boolean healthy = srtt >= 0 && silent <= heartbeatNanos * 3 / 4 + rttSlack;
            s.healthy(healthy);
            if (healthy && srtt < best) {
                best = srtt;
            }
        }
        List<PoolSlot> use = inRotation();
        int[] w = new int[use.size()];
        for (int i = 0; i < w.length; i++) {
            PoolSlot s = use.get(i);
            w[i] = s.healthy() ? weight(s.health().loss(now, heartbeatNanos), s.health().srttNanos(), best) : 1;
            s.weight(w[i]);
        }
        if (!use.equals(planned) || !java.util.Arrays.equals(w, plannedWeights)) {
            install(use, w);
        }
    }

    /** The conns that share the traffic: the healthy ones in service, or, when none is, every one in service. */
    private List<PoolSlot> inRotation() {
        List<PoolSlot> use = new ArrayList<>(slots.size());
        for (PoolSlot s : slots) {
            if (s.inService() && s.healthy()) {
                use.add(s);
            }
        }
        if (use.isEmpty()) {
            for (PoolSlot s : slots) {
                if (s.inService()) {
                    use.add(s);
                }
            }
        }
        return use;
    }

    private void install(List<PoolSlot> use, int[] weights) {
        planned = use;
        plannedWeights = weights;
        schedule = plan(use, weights);
    }

    /** Closes every conn and stops redialling. */
    public void stop() {
        slots.forEach(PoolSlot::stop);
        open = 0;
        schedule = new PoolSlot[0];
    }

    /**
     * A conn opened or closed: until the next health check, open conns that are healthy (or all
     * open ones, if none is) share the traffic equally.
     */
    synchronized void membershipChanged() {
        List<PoolSlot> use = inRotation();
        int[] w = new int[use.size()];
        java.util.Arrays.fill(w, 1);
        open = countOpen();
        install(use, w);
    }

    private int countOpen() {
        int n = 0;
        for (PoolSlot s : slots) {
            if (s.state() == PoolSlot.State.OPEN) {
                n++;
            }
        }
        return n;
    }

    /**
     * Idle mode: closes every conn without redialling; {@link #resume()} dials them all again.
     */
    public void suspend() {
        slots.forEach(PoolSlot::park);
        membershipChanged();
    }

    /** Dials every parked slot again; true if any was parked. */
    public boolean resume() {
        boolean any = false;
        for (PoolSlot s : slots) {
            if (s.state() == PoolSlot.State.IDLE) {
                any = true;
                s.dial();
            }
        }
        return any;
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
