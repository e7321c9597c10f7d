package io.rsock.core.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConnHealthTest {
    @Test
    void rttIsSmoothedAndLossCountsOnlyDueHeartbeats() {
        ConnHealth h = new ConnHealth();
        h.reset(0);
        assertEquals(-1, h.srttNanos());
        int s0 = h.sent(1_000);
        h.answered(s0, 1_000, 3_000);
        assertEquals(2_000, h.srttNanos());
        int s1 = h.sent(10_000);
        h.answered(s1, 10_000, 20_000);
        assertEquals(2_000 + (10_000 - 2_000) / 8, h.srttNanos());
        h.sent(30_000); // unanswered
        h.sent(40_000); // unanswered but still in flight
        assertEquals(1.0 / 3, h.loss(41_000, 5_000), 1e-9);
        assertEquals(20_000, h.lastAnswerNanos());
    }

    @Test
    void answersThatAreNotOursAreIgnored() {
        ConnHealth h = new ConnHealth();
        h.reset(0);
        int s = h.sent(100);
        h.answered(s, 999, 200); // wrong send time: forged or stale
        h.answered(s + 5, 100, 200); // never sent
        assertEquals(-1, h.srttNanos());
        assertEquals(1.0, h.loss(10_000, 0));
    }

    @Test
    void backoffGrowsWithJitterAndIsCapped() {
        Backoff b = new Backoff(100, 1500);
        for (int attempt = 0; attempt < 40; attempt++) {
            long d = b.delayMillis(attempt);
            long nominal = Math.min(1500, 100L << Math.min(attempt, 20));
            assertTrue(d >= nominal / 2 && d <= nominal * 3 / 2, "attempt " + attempt + ": " + d);
        }
    }
}
