package io.rsock.core.frame;

import java.util.Arrays;

/**
 * Anti-replay for one sender's frame counters, as in IPsec and WireGuard: accepts each counter once,
 * and only while it is within {@link #WINDOW} of the highest seen, so a captured frame sent again is
 * dropped however late it comes. The window is wide because the sender spreads frames over many
 * conns whose paths reorder them.
 *
 * <p>Thread-safe (frames of one sender arrive on several transports' threads); the lock is held for
 * a few word operations.
 */
public final class ReplayWindow {
    private static final int WORDS = 256; // 16 320 frames: several transports at tens of thousands of frames a second skew by more than 4 032
    private static final int BITS = WORDS * 64;
    /** How far behind the highest counter a frame may still be accepted. */
    public static final int WINDOW = BITS - 64;

    private final long[] bitmap = new long[WORDS];
    private long highest = -1;

    /** A window that has seen nothing yet. */
    public ReplayWindow() {
    }

    /**
     * A window that refuses every counter up to {@code floor}: what the sender numbered before it said
     * HELLO belongs to an earlier association, and a frame of it sent again is a replay.
     */
    public static ReplayWindow above(long floor) {
        ReplayWindow w = new ReplayWindow();
        if (floor >= 0) {
            Arrays.fill(w.bitmap, -1L); // every counter of the window up to the floor: seen
            int bit = (int) (floor & 63);
            w.bitmap[(int) ((floor >>> 6) & (WORDS - 1))] = bit == 63 ? -1L : (1L << (bit + 1)) - 1;
            w.highest = floor;
        }
        return w;
    }

    /** The highest counter accepted (or the floor), -1 when none. */
    public synchronized long highest() {
        return highest;
    }

    /** Whether {@code counter} is new; if so it is recorded and will not be accepted again. */
    public synchronized boolean accept(long counter) {
        if (counter < 0) {
            return false;
        }
        if (counter > highest) {
            long currentWord = highest < 0 ? -1 : highest >>> 6;
            long newWord = counter >>> 6;
            long advance = Math.min(newWord - currentWord, WORDS);
            for (long i = 1; i <= advance; i++) {
                bitmap[(int) ((currentWord + i) & (WORDS - 1))] = 0;
            }
            highest = counter;
        } else if (highest - counter > WINDOW) {
            return false;
        }
        int word = (int) ((counter >>> 6) & (WORDS - 1));
        long bit = 1L << (counter & 63);
        if ((bitmap[word] & bit) != 0) {
            return false;
        }
        bitmap[word] |= bit;
        return true;
    }
}
