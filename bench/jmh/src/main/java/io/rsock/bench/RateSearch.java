package io.rsock.bench;

import java.util.function.IntPredicate;

/**
 * The rate search of the end-to-end bench: double from a start rate while the trial passes, then
 * bisect between the last rate that passed and the first that failed. Run twice over one cache of
 * trials (see {@link TunnelBench}), it gives the loss-free rate (&lt; 1 % lost) and the usable rate
 * (&lt; 1 % lost and p99 &le; 5 ms) without probing a rate twice.
 */
final class RateSearch {
    private RateSearch() {
    }

    /**
     * The highest rate for which {@code passes} held, or 0 if it held for none down to {@code floor}.
     *
     * @param start the first rate tried; doubled while it passes, halved while it fails from the start
     * @param max the highest rate tried; reaching it passing returns it
     * @param floor the lowest rate tried when the first fails
     * @param steps bisection steps once a passing and a failing rate are known
     */
    static int highest(IntPredicate passes, int start, int max, int floor, int steps) {
        int good = 0;
        int bad = 0;
        for (int rate = start; rate <= max; rate *= 2) {
            if (passes.test(rate)) {
                good = rate;
            } else {
                bad = rate;
                break;
            }
        }
        if (bad == 0) {
            return good;
        }
        for (int rate = start / 2; good == 0 && rate >= floor; rate /= 2) {
            if (passes.test(rate)) {
                good = rate;
            } else {
                bad = rate;
            }
        }
        if (good == 0) {
            return 0;
        }
        // Stop once the gap is within 1/16 of the rate: finer than one run's noise on this machine.
        for (int i = 0; i < steps && bad - good > good / 16; i++) {
            int mid = (good + bad) / 2;
            if (passes.test(mid)) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        return good;
    }
}
