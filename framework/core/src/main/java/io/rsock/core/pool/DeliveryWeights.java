package io.rsock.core.pool;

import java.util.Arrays;

/**
 * How well one direction of one conn delivers data, judged from what the receiving end reports,
 * and the share of the traffic this end's sends on it should get: per {@link SizeClass}, a number
 * from {@link #FLOOR} to 1 (1: as much as any perfect conn).
 *
 * <p>Each report pairs what was sent up to a marker (a heartbeat, or its answer) with what the
 * other end had received when the marker arrived; the marker travels the conn behind the frames
 * sent before it, so the difference between two reports is what that interval lost. A lossy
 * interval (more than {@value #LOSS_THRESHOLD} of its frames, and two frames or a second lossy
 * interval running: one lost heartbeat is noise; the first few frames missing may come later,
 * overtaken by the marker, and do not count) cuts the share at once to a quarter, less the part
 * lost, so a path that delivers a third of what it gets is out of the way within one report.
 * After a hold, which doubles up to {@link #MAX_HOLD_NANOS} while losses keep coming (and which
 * the conns of a {@link SharedFate} keep together), clean reports grow it again: doubling up to
 * half of what got through at the last loss that let some through (a loss of everything is a
 * blocked path, which says nothing of its rate, and leaves that mark), then, every other report,
 * by 15 % rising to 25 %: a policer's rate is approached from below and crossed by little, the
 * verdict on one step comes before the next, and a healed path is back at full share within
 * seconds. The share never falls below {@link #FLOOR}: a penalised conn
 * keeps carrying a trickle, so the data itself shows when the path heals. An interval without
 * frames of a class says nothing of it but lets the share grow, as a clean one would, once the
 * hold is over.
 *
 * <p>Written by the thread that reads reports, read by the one that builds the rotation: methods
 * are synchronized (a few calls a second per conn, never per packet).
 */
public final class DeliveryWeights {
    /** The least share: a trickle that keeps measuring a penalised path. */
    static final double FLOOR = 1.0 / 1024;
    /**
     * A loss of at least this part of an interval's frames, none of them through, is a blocked path,
     * not a policer's rate. A policer far below the offered rate, its budget taken by sibling conns,
     * loses as much, but the few it lets through are its rate: taken for a blackout, sibling conns
     * would double back together past it.
     */
    static final double BLOCKED = 0.9;
    /** An interval that lost more than this share of its frames is a loss. */
    static final double LOSS_THRESHOLD = 0.01;
    /** Growth waits this long after a loss... */
    static final long MIN_HOLD_NANOS = 1_000_000_000L;
    /** ...doubling with each loss that follows within {@link #CALM_NANOS}, up to this. */
    static final long MAX_HOLD_NANOS = 8_000_000_000L;
    /** A loss this long after the previous one holds growth for {@link #MIN_HOLD_NANOS} again. */
    static final long CALM_NANOS = 10_000_000_000L;
    /** Below half of what got through at the last loss, each clean report doubles the share... */
    static final double FAST = 2;
    /** ...beyond it, the first step (they come every other report) adds this... */
    static final double SLOW = 1.15;
    /** ...and each further step without a loss adds this much more... */
    static final double ACCELERATION = 0.05;
    /** ...up to this per step: a policer's rate is crossed by little, and seen before the next step. */
    static final double SLOW_MAX = 1.25;
    /** A loss leaves this much of the share, less the share lost. */
    static final double CUT = 0.25;
    /**
     * Frames received beyond what was sent (a frame counted as sent just after the marker's
     * snapshot but on the wire before the marker) make up for what the next interval lacks, up to
     * this many.
     */
    static final int CREDIT_CAP = 16;
    /**
     * Frames missing that are not counted lost yet, at most: a marker sent from another thread, on
     * another CPU, can overtake a frame sent just before it, which then comes in the next interval.
     * Beyond this many, missing frames are lost.
     */
    static final int LATE_MAX = 4;
    /** How much of the recent delivery figures survives each report (about a second of them). */
    static final double RECENT_DECAY = 0.75;

    private final DeliveryReport lastSent = new DeliveryReport();
    private final DeliveryReport lastReceived = new DeliveryReport();
    private boolean primed;
    private final double[] share = new double[SizeClass.COUNT];
    private final double[] fastUpTo = new double[SizeClass.COUNT];
    private final long[] lastLossNanos = new long[SizeClass.COUNT];
    private final long[] holdNanos = new long[SizeClass.COUNT];
    private final boolean[] everLost = new boolean[SizeClass.COUNT];
    private final int[] steps = new int[SizeClass.COUNT];
    private final boolean[] skipped = new boolean[SizeClass.COUNT];
    /** Frames missing and not counted lost (or, below zero, received ahead of the count). */
    private final int[] unexplained = new int[SizeClass.COUNT];
    /** Whether the last interval that carried frames of the class lost one. */
    private final boolean[] lostLast = new boolean[SizeClass.COUNT];
    private final double[] recentSent = new double[SizeClass.COUNT];
    private final double[] recentLost = new double[SizeClass.COUNT];
    private long reports;
    private long losses;
    /** The conns this one likely shares a bottleneck with, or null. */
    private volatile SharedFate fate;

    public DeliveryWeights() {
        Arrays.fill(share, 1);
        Arrays.fill(fastUpTo, 1);
    }

    /** Joins the conns it likely shares a bottleneck with: a loss of one holds the growth of all. */
    public void shareFate(SharedFate fate) {
        this.fate = fate;
    }

    /**
     * One report: {@code sent} is what this end had sent on the conn when the marker left,
     * {@code received} what the other end had received of it when the marker arrived (both as
     * counted since the conn opened). The first report is the baseline; one older than the last
     * (reordered) is ignored. Returns whether a share changed.
     */
    public synchronized boolean report(DeliveryReport sent, DeliveryReport received, long now) {
        if (!primed) {
            lastSent.copyFrom(sent);
            lastReceived.copyFrom(received);
            primed = true;
            return false;
        }
        for (int c = 0; c < SizeClass.COUNT; c++) {
            if (sent.frames[c] - lastSent.frames[c] < 0 || received.frames[c] - lastReceived.frames[c] < 0) {
                return false; // counts went back: an older report than the last one
            }
        }
        boolean changed = false;
        for (int c = 0; c < SizeClass.COUNT; c++) {
            changed |= judge(c, sent.frames[c] - lastSent.frames[c], received.frames[c] - lastReceived.frames[c], now);
        }
        lastSent.copyFrom(sent);
        lastReceived.copyFrom(received);
        reports++;
        return changed;
    }

    private boolean judge(int c, int sent, int received, long now) {
        // Frames missing so far and not yet counted lost: a few may still come (overtaken by the
        // marker); beyond LATE_MAX they are lost. Below zero: frames that came before the marker
        // but were counted sent after its snapshot, which the next interval will miss.
        int missing = unexplained[c] + sent - received;
        int lost = Math.max(0, missing - LATE_MAX);
        unexplained[c] = Math.max(-CREDIT_CAP, missing - lost);
        recentSent[c] = recentSent[c] * RECENT_DECAY + sent;
        recentLost[c] = recentLost[c] * RECENT_DECAY + lost;
        boolean lossy = lost > 0 && lost > LOSS_THRESHOLD * sent;
        // One frame lost once (a heartbeat among three frames) is noise; two, or twice running, is not.
        boolean cut = lossy && (lost >= 2 || lostLast[c]);
        if (sent > 0) {
            lostLast[c] = lost > 0;
        }
        if (cut) {
            cut(c, (double) lost / sent, received == 0, now);
            return true;
        }
        return !lossy && grow(c, now);
    }

    private void cut(int c, double lossRatio, boolean noneThrough, long now) {
        double s = share[c];
        if (lossRatio < BLOCKED || !noneThrough) {
            // What got through is about what the path takes: grow fast to half of it, gently beyond.
            fastUpTo[c] = Math.max(FLOOR, s * (1 - lossRatio) / 2);
        } else {
            // Blocked: that says nothing of what it takes when it heals. Fast to half of what it had
            // before it was blocked, however far the losses since have cut it.
            fastUpTo[c] = Math.max(fastUpTo[c], s / 2);
        }
        share[c] = Math.max(FLOOR, s * (1 - lossRatio) * CUT);
        boolean again = everLost[c] && now - lastLossNanos[c] < CALM_NANOS;
        holdNanos[c] = again ? Math.min(MAX_HOLD_NANOS, 2 * holdNanos[c]) : MIN_HOLD_NANOS;
        lastLossNanos[c] = now;
        SharedFate f = fate;
        if (f != null) {
            f.lost(c, now + holdNanos[c]);
        }
        everLost[c] = true;
        steps[c] = 0;
        losses++;
    }

    private boolean grow(int c, long now) {
        double s = share[c];
        if (s >= 1) {
            return false;
        }
        if (everLost[c] && now - lastLossNanos[c] < holdNanos[c]) {
            return false;
        }
        SharedFate f = fate;
        if (f != null && f.holding(c, now)) {
            return false;
        }
        if (s >= fastUpTo[c] && (skipped[c] = !skipped[c])) {
            return false; // beyond the fast part, a step every other report: the last one's verdict comes first
        }
        double factor = s < fastUpTo[c] ? FAST : Math.min(SLOW_MAX, SLOW + ACCELERATION * steps[c]++);
        share[c] = Math.min(1, s * factor);
        return true;
    }

    /** The share (FLOOR to 1) this end's frames of {@code sizeClass} should get on the conn. */
    public synchronized double share(int sizeClass) {
        return share[sizeClass];
    }

    /** Of the frames of {@code sizeClass} sent in the last second or so, the part delivered; -1 when none was sent. */
    public synchronized double delivered(int sizeClass) {
        return recentSent[sizeClass] < 0.5 ? -1 : 1 - recentLost[sizeClass] / recentSent[sizeClass];
    }

    /** Of all frames sent in the last second or so, the part delivered; -1 when none was sent. */
    public synchronized double delivered() {
        double sent = 0;
        double lost = 0;
        for (int c = 0; c < SizeClass.COUNT; c++) {
            sent += recentSent[c];
            lost += recentLost[c];
        }
        return sent < 0.5 ? -1 : 1 - lost / sent;
    }

    /** Reports judged so far. */
    public synchronized long reports() {
        return reports;
    }

    /** Intervals judged lossy so far, over all classes. */
    public synchronized long losses() {
        return losses;
    }
}
