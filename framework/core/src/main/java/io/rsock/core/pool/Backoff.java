package io.rsock.core.pool;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Redial delays: exponential from {@code base} up to {@code max}, each scaled by a random factor in
 * [0.5, 1.5) so that many clients whose server restarted do not all come back in the same instant.
 */
public final class Backoff {
    private final long baseMillis;
    private final long maxMillis;

    public Backoff(long baseMillis, long maxMillis) {
        if (baseMillis <= 0 || maxMillis < baseMillis) {
            throw new IllegalArgumentException("base " + baseMillis + " max " + maxMillis);
        }
        this.baseMillis = baseMillis;
        this.maxMillis = maxMillis;
    }

    /** Delay before attempt number {@code attempt} (0 for the first redial). */
    public long delayMillis(int attempt) {
        long d = baseMillis << Math.min(attempt, 20);
        if (d <= 0 || d > maxMillis) {
            d = maxMillis;
        }
        return (long) (d * (0.5 + ThreadLocalRandom.current().nextDouble()));
    }
}
