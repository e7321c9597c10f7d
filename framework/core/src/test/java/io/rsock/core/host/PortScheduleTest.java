package io.rsock.core.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code --random-ports}: both ends derive the same sets, the sets move, and the overlaps cover the switch. */
class PortScheduleTest {
    private static final int[] RANGE = IntStream.rangeClosed(10001, 10100).toArray();
    private final AtomicLong wall = new AtomicLong(1_800_000_000_000L);

    private PortSchedule schedule(String secret) {
        return new PortSchedule(secret, RANGE, 5, 60_000, wall::get);
    }

    @Test
    void bothEndsDeriveTheSameSetFromTheSecretAndTheWindow() {
        PortSchedule a = schedule("s3cret");
        PortSchedule b = new PortSchedule("s3cret", reversed(RANGE), 5, 60_000, wall::get);
        for (long k = 0; k < 50; k++) {
            assertArrayEquals(a.portsOfWindow(k), b.portsOfWindow(k), "window " + k);
        }
    }

    @Test
    void eachSetIsNDistinctPortsOfTheRangeAndTheyMove() {
        PortSchedule s = schedule("s3cret");
        Set<String> sets = new HashSet<>();
        int[] hits = new int[RANGE.length];
        for (long k = 0; k < 2000; k++) {
            int[] p = s.portsOfWindow(k);
            assertEquals(5, Arrays.stream(p).distinct().count());
            for (int port : p) {
                assertTrue(port >= 10001 && port <= 10100);
                hits[port - 10001]++;
            }
            sets.add(Arrays.toString(p));
        }
        assertTrue(sets.size() > 1990, "sets repeat too often: " + sets.size());
        // 2000 windows x 5 ports over 100 ports: 100 each on average; no port is starved or favoured.
        assertTrue(Arrays.stream(hits).min().getAsInt() > 50 && Arrays.stream(hits).max().getAsInt() < 150,
                Arrays.toString(hits));
    }

    @Test
    void anotherSecretGivesOtherSets() {
        int same = 0;
        for (long k = 0; k < 100; k++) {
            if (Arrays.equals(schedule("a").portsOfWindow(k), schedule("b").portsOfWindow(k))) {
                same++;
            }
        }
        assertTrue(same < 2);
    }

    @Test
    void theServerCoversTheClientAcrossABoundary() {
        PortSchedule s = schedule("s3cret");
        long k = Math.floorDiv(wall.get(), 60_000) + 1;
        long boundary = k * 60_000;
        for (long t = boundary - 20_000; t <= boundary + 20_000; t += 500) {
            wall.set(t);
            Set<Integer> server = s.serverPorts();
            Set<Integer> client = s.clientPorts();
            assertTrue(server.containsAll(client), "at " + (t - boundary) + " ms the client dials ports the server does not listen on");
        }
        wall.set(boundary - 30_000);
        assertEquals(5, s.serverPorts().size(), "far from a boundary: one set");
        wall.set(boundary - 1000);
        assertFalse(s.clientPorts().isEmpty());
    }

    private static int[] reversed(int[] a) {
        int[] r = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[a.length - 1 - i];
        }
        return r;
    }
}
