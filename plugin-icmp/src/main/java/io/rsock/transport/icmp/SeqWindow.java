package io.rsock.transport.icmp;

/**
 * Which 16-bit echo sequence numbers a server conn has seen, over a sliding window of
 * {@value #WINDOW} below the highest (a bitmap of words, cleared as the window slides, as
 * WireGuard's replay filter does): a duplicated request is not answered twice, and a request far
 * behind the others is refused. Serial arithmetic, so the 65 536 wrap is seamless. Not thread-safe.
 */
final class SeqWindow {
    private static final int WORDS = 32;
    /** Sequence numbers tracked below the highest seen. */
    static final int WINDOW = (WORDS - 1) * 64;

    private final long[] bits = new long[WORDS];
    private int top;
    private boolean started;

    /** Records {@code seq}; returns false when it was seen before or is older than the window. */
    boolean accept(int seq) {
        seq &= 0xFFFF;
        if (!started) {
            started = true;
            top = seq;
        } else {
            int d = (short) (seq - top);
            if (d > 0) {
                int oldWord = top >>> 6;
                int steps = Math.min(((seq >>> 6) - oldWord) & 0x3FF, WORDS); // 1 024 words of 64 span the 65 536 numbers
                for (int i = 1; i <= steps; i++) {
                    bits[(oldWord + i) & (WORDS - 1)] = 0;
                }
                top = seq;
            } else if (-d >= WINDOW) {
                return false;
            }
        }
        int w = (seq >>> 6) & (WORDS - 1);
        long m = 1L << (seq & 63);
        if ((bits[w] & m) != 0) {
            return false;
        }
        bits[w] |= m;
        return true;
    }
}
