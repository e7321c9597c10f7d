package io.rsock.core.pool;

import java.util.Arrays;

/**
 * What the heartbeats say of one conn: a smoothed round-trip time and the share of the last
 * heartbeats that got no answer. Written by the heartbeat timer and the conn's receive thread, read
 * by the sender when it picks a conn; fields are volatile, and a torn update costs one imprecise
 * pick, never a wrong frame.
 */
public final class ConnHealth {
    /** How many recent heartbeats the loss figure covers. */
    static final int WINDOW = 16;

    private final long[] sentAt = new long[WINDOW];
    private final boolean[] answered = new boolean[WINDOW];
    private int nextSeq;
    private volatile long srttNanos = -1;
    private volatile long lastAnswerNanos;

    /** The conn (re)opened at {@code now}: forget what the previous one measured. */
    public synchronized void reset(long now) {
        nextSeq = 0;
        Arrays.fill(sentAt, 0);
        Arrays.fill(answered, false);
        srttNanos = -1;
        lastAnswerNanos = now;
    }

    /** Records a heartbeat sent at {@code now}; returns its sequence number. */
    public synchronized int sent(long now) {
        int seq = nextSeq++;
        sentAt[seq & (WINDOW - 1)] = now;
        answered[seq & (WINDOW - 1)] = false;
        return seq;
    }

    /** The answer to heartbeat {@code seq}, sent at {@code sentNanos}, arrived at {@code now}. */
    public synchronized void answered(int seq, long sentNanos, long now) {
        int slot = seq & (WINDOW - 1);
        if (seq < nextSeq - WINDOW || seq >= nextSeq || sentAt[slot] != sentNanos) {
            return; // too old, or not ours: nothing to learn
        }
        answered[slot] = true;
        long rtt = now - sentNanos;
        long s = srttNanos;
        srttNanos = s < 0 ? rtt : s + (rtt - s) / 8; // RFC 6298's alpha = 1/8
        lastAnswerNanos = now;
    }

    /**
     * Share (0..1) of the heartbeats sent before {@code now - grace} among the last {@link #WINDOW}
     * that got no answer; the grace keeps a heartbeat still in flight from counting as lost.
     */
    public synchronized double loss(long now, long graceNanos) {
        int due = 0;
        int lost = 0;
        for (int i = Math.max(0, nextSeq - WINDOW); i < nextSeq; i++) {
            int slot = i & (WINDOW - 1);
            if (now - sentAt[slot] >= graceNanos) {
                due++;
                if (!answered[slot]) {
                    lost++;
                }
            }
        }
        return due == 0 ? 0 : (double) lost / due;
    }

    /** Smoothed RTT in nanoseconds, or -1 before the first answer. */
    public long srttNanos() {
        return srttNanos;
    }

    /** When the last heartbeat answer came (or the conn opened). */
    public long lastAnswerNanos() {
        return lastAnswerNanos;
    }
}
