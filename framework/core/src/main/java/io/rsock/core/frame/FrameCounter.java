package io.rsock.core.frame;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a sender's frame counter starts. The counter only ever goes up, once per frame, in one
 * {@link AtomicLong} that every sender of the process shares, so it never repeats within a process
 * whatever the wall clock does; and a process never shares a key with another one (the keys of
 * every frame but HELLO and HELLO_ACK come from both ends' random run nonces, see {@link FrameKey}),
 * so no (key, counter) pair ever repeats. The start is random below 2^40, which hides how many frames
 * a run has sent and leaves 2^48 - 2^40 counters: 8.9 years at a million frames a second.
 */
public final class FrameCounter {
    private static final long START_BOUND = 1L << 40;
    private static final SecureRandom RANDOM = new SecureRandom();

    private FrameCounter() {
    }

    public static AtomicLong randomStart() {
        return new AtomicLong(1 + RANDOM.nextLong(START_BOUND));
    }
}
