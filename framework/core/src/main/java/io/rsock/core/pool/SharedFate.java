package io.rsock.core.pool;

/**
 * The conns that most likely share one bottleneck: one transport to one server (an ISP polices a
 * subscriber's UDP, not a port of it). When one of them loses to it, the others hold their growth
 * too: grown one by one, each on its own clock, they would probe the policer's rate every time one
 * of them is out of its hold, and every probe costs the traffic it overshoots by.
 */
public final class SharedFate {
    private final long[] holdUntil = new long[SizeClass.COUNT];
    private final boolean[] held = new boolean[SizeClass.COUNT];

    /** A member lost frames of {@code sizeClass}; none grows that class's share before {@code untilNanos}. */
    public synchronized void lost(int sizeClass, long untilNanos) {
        if (!held[sizeClass] || untilNanos - holdUntil[sizeClass] > 0) {
            holdUntil[sizeClass] = untilNanos;
            held[sizeClass] = true;
        }
    }

    /** Whether a member may not grow its share of {@code sizeClass} at {@code now}. */
    public synchronized boolean holding(int sizeClass, long now) {
        return held[sizeClass] && now - holdUntil[sizeClass] < 0;
    }
}
