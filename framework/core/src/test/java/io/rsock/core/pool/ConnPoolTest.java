package io.rsock.core.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What the heartbeats add to a conn's weight: loss cuts it sharply, an RTT beyond the typical one gently. */
class ConnPoolTest {
    private static final long MS = 1_000_000;

    @Test
    void aPerfectConnKeepsItsFullShareAndHeartbeatLossCutsItSharply() {
        assertEquals(1, ConnPool.heartbeatFactor(0, 5 * MS, 5 * MS), 1e-9);
        assertEquals(0.765625, ConnPool.heartbeatFactor(0.125, 5 * MS, 5 * MS), 1e-9); // 0.875^2
        assertEquals(0.25, ConnPool.heartbeatFactor(0.5, 5 * MS, 5 * MS), 1e-9);
        assertEquals(0, ConnPool.heartbeatFactor(1, 5 * MS, 5 * MS), 1e-9);
        assertEquals(1, Rotation.weightOf(0), "a healthy conn keeps a weight, however small");
    }

    @Test
    void connsSlowerThanTheTypicalOneGetLessButMicrosecondsDoNotMatter() {
        assertEquals(1, ConnPool.heartbeatFactor(0, 60_000, 40_000), 0.02, "60 vs 40 us is the same path");
        assertEquals(0.5, ConnPool.heartbeatFactor(0, 21 * MS, 10 * MS), 1e-9); // (10+1)/(21+1)
        assertEquals(1, ConnPool.heartbeatFactor(0, -1, 10 * MS), 1e-9, "no RTT yet: no penalty");
        assertEquals(1, ConnPool.heartbeatFactor(0, 3 * MS, 13 * MS), 1e-9, "faster than the typical conn: no bonus");
    }
}
