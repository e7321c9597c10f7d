package io.rsock.transport.faketcp;

/**
 * Serial-number arithmetic on 32-bit TCP sequence numbers (RFC 1982, RFC 9293 section 3.4): numbers
 * are raw {@code int} bits and compare by the sign of their difference, so that comparisons stay
 * right across the 2^32 wrap-around.
 */
final class Seq {
    private Seq() {
    }

    /** {@code a} comes before {@code b}. */
    static boolean lt(int a, int b) {
        return a - b < 0;
    }

    /** {@code a} comes before or is {@code b}. */
    static boolean le(int a, int b) {
        return a - b <= 0;
    }

    /** {@code a} comes after {@code b}. */
    static boolean gt(int a, int b) {
        return a - b > 0;
    }

    /** {@code a} comes after or is {@code b}. */
    static boolean ge(int a, int b) {
        return a - b >= 0;
    }
}
