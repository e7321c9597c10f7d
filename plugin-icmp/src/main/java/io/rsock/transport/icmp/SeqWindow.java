package io.rsock.transport.icmp;

/**
 * Which 16-bit echo sequence numbers a server conn has seen (a bitmap of words, cleared as the window
 * slides, as WireGuard's replay filter does): a duplicated request is not answered twice, and one
 * far from the client's current numbers is refused. Serial arithmetic, so the 65 536 wrap is seamless.
 *
 * <p>The window is {@value #BEHIND} numbers behind and {@value #AHEAD} ahead of the highest request
 * whose frames authenticated ({@link #advance}), and only such a request moves it: an echo request
 * anyone can forge (an empty credit, junk) is recorded if it falls inside ({@link #accept}) but
 * never pushes the window, so a stranger who learned a client's address and echo identifier cannot
 * make the client's own requests look old. Not thread-safe.
 */
final class SeqWindow {
    private static final int WORDS = 128;
    /** Sequence numbers accepted ahead of the highest authenticated one: credits the client sends between frames. */
    static final int AHEAD = 4096;
    /** Sequence numbers accepted behind it (one word of the ring is slack for clearing by words). */
    static final int BEHIND = (WORDS - 1) * 64 - AHEAD - 64;

    private final long[] bits = new long[WORDS];
    private int top;
    private boolean started;

    /** Records {@code seq}; returns false when it was seen before or lies outside the window. The window stays. */
    boolean accept(int seq) {
        seq &= 0xFFFF;
        start(seq);
        int d = (short) (seq - top);
        if (d > AHEAD || d <= -BEHIND) {
            return false;
        }
        int w = (seq >>> 6) & (WORDS - 1);
        long m = 1L << (seq & 63);
        if ((bits[w] & m) != 0) {
            return false;
        }
        bits[w] |= m;
        return true;
    }

    /**
     * The request {@code seq} carried frames that authenticated: the client sent it, so the window
     * moves up to it (whatever {@link #accept} said of it), clearing the words it slides over.
     */
    void advance(int seq) {
        seq &= 0xFFFF;
        start(seq);
        int d = (short) (seq - top);
        if (d <= 0) {
            return;
        }
        int oldFront = ((top + AHEAD) & 0xFFFF) >>> 6;
        int newFront = ((seq + AHEAD) & 0xFFFF) >>> 6;
        int steps = Math.min((newFront - oldFront) & 0x3FF, WORDS); // 1 024 words of 64 span the 65 536 numbers
        for (int i = 1; i <= steps; i++) {
            bits[(oldFront + i) & (WORDS - 1)] = 0;
        }
        top = seq;
    }

    /** The first request of a conn places the window just behind it. */
    private void start(int seq) {
        if (!started) {
            started = true;
            top = (seq - 1) & 0xFFFF;
        }
    }
}
