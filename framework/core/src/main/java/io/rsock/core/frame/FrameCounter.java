package io.rsock.core.frame;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a sender's frame counter starts. Receivers keep an anti-replay window per sender that
 * outlives the sender's process (a client keeps its window for a server that restarts), so a new
 * run must start above every counter the last run used: the counter starts at the microseconds since
 * 2026, which a sender that averages under a million frames a second never outruns. 48 bits of
 * microseconds last until 2034.
 */
public final class FrameCounter {
    private static final long EPOCH_MILLIS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    private FrameCounter() {
    }

    public static AtomicLong startingNow() {
        long micros = Math.max(1, (System.currentTimeMillis() - EPOCH_MILLIS) * 1000);
        return new AtomicLong(micros & FrameCodec.COUNTER_MASK);
    }
}
