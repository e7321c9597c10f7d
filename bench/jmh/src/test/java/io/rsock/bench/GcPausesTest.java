package io.rsock.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GcPausesTest {
    @Test
    void readsPausesAndSplitsStartUpFromTraffic() {
        String log = """
                [0.004s][info][gc] Using Serial
                [0.412s][info][gc] GC(0) Pause Young (Allocation Failure) 4M->2M(15M) 3.105ms
                [1.950s][info][gc] GC(1) Pause Full (Metadata GC Threshold) 9M->6M(20M) 21.480ms
                [14.020s][info][gc] GC(2) Pause Young (Allocation Failure) 10M->6M(20M) 0.712ms
                [29.500s][info][gc] GC(3) Pause Young (Allocation Failure) 10M->6M(20M) 1.250ms
                """;
        GcPauses p = GcPauses.parse(log, 5.0);
        assertEquals(4, p.count());
        assertEquals(21.48, p.maxMillis(), 1e-9);
        assertEquals(2, p.countAfter());
        assertEquals(1.25, p.maxMillisAfter(), 1e-9);
    }

    @Test
    void noPausesIsZero() {
        assertEquals(GcPauses.NONE, GcPauses.parse("[0.004s][info][gc] Using Serial\n", 0));
    }
}
