package io.rsock.core.pool;

import io.rsock.api.Conn;
import io.rsock.api.ConnTransport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The client's conns to its servers: one {@link PoolSlot} per (transport, server, port), over every
 * transport of the run and every server of {@code -t}. Spreads datagrams over the open conns in
 * proportion to what each delivers, per frame size (the server's delivery reports), and to its
 * heartbeats' loss and RTT: a path that fails, whatever its transport or server, stops carrying
 * traffic within a heartbeat while the others take it over; one that drops data the heartbeats
 * slip through (a policer of bytes, of large packets) keeps only a trickle of that data. Keeps every
 * slot dialled.
 */
public final class ConnPool implements ConnSource<PoolSlot> {
    /** Copy on write: ports rotate ({@code --random-ports}) or change ({@code rsock reload}) while heartbeats and status iterate. */
    private final List<PoolSlot> slots = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler;
    private final Backoff backoff;
    private final PoolListener listener;
    private final LongSupplier clock;
    /** One per transport and server: the slots that likely share a bottleneck. */
    private final Map<String, SharedFate> fates = new ConcurrentHashMap<>();
    /** What {@link #pick} draws from: the conns in rotation and their weights. Rebuilt by the health check, read per batch. */
    private volatile Rotation<PoolSlot> rotation = Rotation.empty();
    private volatile int open;
    private volatile boolean started;

    /** What the healthy conns must have earned together, in good conns, to carry a size class alone. */
    static final double ENOUGH_SHARE = 0.5;

    /** How long a retired conn stays open for the replies already sent on it. */
    static final long RETIRE_GRACE_MILLIS = 1000;

    public ConnPool(ScheduledExecutorService scheduler, Backoff backoff, PoolListener listener, LongSupplier clock) {
        this.scheduler = scheduler;
        this.backoff = backoff;
        this.listener = listener;
        this.clock = clock;
    }

    /** Adds a slot for {@code server} over {@code transport}; dialled by {@link #start}, or at once when started. */
    public PoolSlot add(ConnTransport transport, InetSocketAddress server) {
        PoolSlot slot = new PoolSlot(this, transport, server,
                fates.computeIfAbsent(transport.type() + " " + server.getAddress().getHostAddress(), k -> new SharedFate()));
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
        }, RETIRE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Dials every slot. */
    public void start() {
        started = true;
        slots.forEach(PoolSlot::dial);
    }

    /**
     * An open conn to send the next frame of {@code sizeClass} on: the healthy conns share the
     * traffic in proportion to their weights (see {@link #checkHealth}); when none is healthy, all
     * open conns share it equally (better a lossy conn than none). Null when no conn is open.
     */
    @Override
    public PoolSlot pick(int sizeClass, long now) {
        Rotation<PoolSlot> r = rotation;
        int n = r.size();
        int start = r.pick(sizeClass);
        for (int i = 0; i < n; i++) { // one that closed since the rotation was built: take the next live one
            PoolSlot s = r.member((start + i) % n);
            Conn c = s.conn();
            if (c != null && c.isOpen()) {
                return s;
            }
        }
        return null;
    }

    /** An open conn for a small frame (control frames), or null. */
    public PoolSlot pick() {
        return pick(SizeClass.SMALL, 0);
    }

    /**
     * What the heartbeats say of a healthy conn, 0 to 1: the fewer heartbeats it loses and the
     * closer its RTT to the typical (median) conn's, the more; a conn no slower than that loses
     * nothing. The median, not the best: a conn that carries little because it is penalised answers
     * faster than the busy ones, and a comparison with it would hand the traffic back to it. RTTs
     * are compared with a millisecond of slack so that microsecond differences do not matter. The
     * data's delivery ({@link DeliveryWeights}) multiplies it.
     */
    static double heartbeatFactor(double loss, long srttNanos, long typicalSrttNanos) {
        double delivered = 1 - Math.min(1, Math.max(0, loss));
        double speed = srttNanos <= 0 || typicalSrttNanos <= 0 ? 1
                : Math.min(1, (typicalSrttNanos + 1_000_000.0) / (srttNanos + 1_000_000.0));
        return delivered * delivered * speed;
    }

    /** The part (0 to 1) of the frames of {@code sizeClass} that {@code slot} gets now. */
    public double share(PoolSlot slot, int sizeClass) {
        return rotation.share(slot, sizeClass);
    }

    /**
     * The other end says the conn it knows as {@code connId} died there (RST, FIN): the slot that
     * holds it drops it now and redials. False when no open conn has that id (already gone).
     */
    public boolean gone(int connId) {
        for (PoolSlot s : slots) {
            ConnDelivery d = s.delivery();
            if (d != null && d.connId() == connId && s.state() == PoolSlot.State.OPEN) {
                s.gone();
                return true;
            }
        }
        return false;
    }

    /** Every slot, for heartbeats and status. */
    public List<PoolSlot> slots() {
        return slots;
    }

    /** How many conns are open now. */
    public int openCount() {
        return open;
    }

    /**
     * A heartbeat answer came on {@code slot}: it is healthy, and its backoff starts afresh. A conn
     * proven for the first time joins the rotation at once.
     */
    public void proven(PoolSlot slot) {
        boolean was = slot.healthy();
        slot.healthy(true);
        slot.proven();
        if (!was && slot.inService()) {
            membershipChanged();
        }
    }

    /**
     * Judges every open conn by its heartbeats (sent every half interval): one silent for more than
     * three quarters of an interval (plus twice its RTT) has missed an answer and leaves the rotation
     * at once, so a path that starts dropping everything stops carrying traffic within about one
     * heartbeat interval; it keeps getting heartbeats and comes back with the first answer. A conn
     * is not trusted before its first answer, and one silent for four intervals is redialled. Then
     * the rotation is rebuilt: each healthy conn weighs, per size class, what its data delivery
     * earns ({@link DeliveryWeights#share}) times what its heartbeats say ({@link #heartbeatFactor},
     * against the median RTT of the healthy conns).
     */
    public synchronized void checkHealth(long now, long heartbeatNanos) {
        List<Long> rtts = new ArrayList<>(slots.size());
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
            if (healthy) {
                rtts.add(srtt);
            }
        }
        rtts.sort(null);
        long typical = rtts.isEmpty() ? -1 : rtts.get(rtts.size() / 2);
        for (PoolSlot s : slots) {
            if (s.healthy()) {
                s.heartbeatFactor(heartbeatFactor(s.health().loss(now, heartbeatNanos), s.health().srttNanos(), typical));
            }
        }
        rebuild();
    }

    /**
     * The rotation from the slots as they are now. Per size class the healthy conns share the
     * traffic, by what their data earns times what their heartbeats say; a conn silent for a
     * moment is out. But when the healthy ones together have earned less than
     * {@link #ENOUGH_SHARE} of a good conn for a class (they are the penalised ones: a stall of our
     * own capture thread silences every conn it receives for at once, and only those that carry
     * next to nothing still answer), the silent conns share that class too, by their data alone:
     * a moment's silence must not hand all the traffic to the paths known to lose it. No conn
     * healthy at all (the start, a blackout of everything): every open conn by its data.
     */
    private void rebuild() {
        List<PoolSlot> use = new ArrayList<>(slots.size());
        double[] healthyShare = new double[SizeClass.COUNT];
        for (PoolSlot s : slots) {
            if (s.inService()) {
                use.add(s);
                for (int c = 0; c < SizeClass.COUNT && s.healthy(); c++) {
                    healthyShare[c] += dataShare(s, c);
                }
            }
        }
        rotation = Rotation.of(use, (slot, sizeClass) -> slot.healthy()
                ? Rotation.weightOf(dataShare(slot, sizeClass) * slot.heartbeatFactor())
                : healthyShare[sizeClass] >= ENOUGH_SHARE ? 0 : Rotation.weightOf(dataShare(slot, sizeClass)));
    }

    private static double dataShare(PoolSlot slot, int sizeClass) {
        ConnDelivery d = slot.delivery();
        return d == null ? 1 : d.outbound().share(sizeClass);
    }

    /** Closes every conn and stops redialling. */
    public void stop() {
        slots.forEach(PoolSlot::stop);
        open = 0;
        rotation = Rotation.empty();
    }

    /** A conn opened, closed or proved itself: the rotation follows at once. */
    synchronized void membershipChanged() {
        open = countOpen();
        rebuild();
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
