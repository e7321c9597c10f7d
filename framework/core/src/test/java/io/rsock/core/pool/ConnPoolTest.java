package io.rsock.core.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pool's spreading: weights from heartbeat loss and RTT, and the schedule picks follow. */
class ConnPoolTest {
    private static final long MS = 1_000_000;

    @Test
    void aPerfectConnGetsFullWeightAndLossCutsItSharply() {
        assertEquals(ConnPool.MAX_WEIGHT, ConnPool.weight(0, 5 * MS, 5 * MS));
        assertEquals(6, ConnPool.weight(0.125, 5 * MS, 5 * MS)); // 8 * 0.875^2 = 6.1
        assertEquals(2, ConnPool.weight(0.5, 5 * MS, 5 * MS));
        assertEquals(1, ConnPool.weight(1, 5 * MS, 5 * MS), "a healthy conn keeps a share, however small");
    }

    @Test
    void slowerConnsGetLessButMicrosecondsDoNotMatter() {
        assertEquals(ConnPool.MAX_WEIGHT, ConnPool.weight(0, 60_000, 40_000), "60 vs 40 us is the same path");
        assertEquals(4, ConnPool.weight(0, 21 * MS, 10 * MS)); // (10+1)/(21+1) = 0.5
        assertEquals(ConnPool.MAX_WEIGHT, ConnPool.weight(0, -1, 10 * MS), "no RTT yet: no penalty");
    }

    @Test
    void theScheduleGivesEachSlotItsWeightInterleaved() {
        List<PoolSlot> slots = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            slots.add(new PoolSlot(null, null, new InetSocketAddress("10.0.0.1", 10001 + i)));
        }
        PoolSlot[] plan = ConnPool.plan(slots, new int[] {4, 2, 1});
        assertEquals(7, plan.length);
        assertEquals(4, Collections.frequency(List.of(plan), slots.get(0)));
        assertEquals(2, Collections.frequency(List.of(plan), slots.get(1)));
        assertEquals(1, Collections.frequency(List.of(plan), slots.get(2)));
        for (int i = 1; i < plan.length; i++) {
            assertTrue(!(plan[i] == slots.get(0) && plan[i - 1] == slots.get(0) && i > 1 && plan[i - 2] == slots.get(0)),
                    "the heaviest slot never gets three in a row when others wait");
        }
    }
}
