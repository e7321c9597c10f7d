package io.rsock.api.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.codec.IpAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The flow table of both families: keys of either never collide, removal takes only the right entry. */
class FlowMapTest {
    @Test
    void findsEveryEntryOfBothFamiliesAndOnlyThose() {
        FlowMap<String> map = new FlowMap<>();
        Map<String, Object[]> added = new HashMap<>();
        Random r = new Random(1);
        for (int i = 0; i < 2000; i++) {
            IpAddress a = i % 2 == 0 ? IpAddress.v4(r.nextInt()) : IpAddress.v6(0xFD00_0201_0001_0000L, r.nextLong());
            int port = r.nextInt(0x10000);
            String v = "v" + i;
            if (map.putIfAbsent(a, port, v)) {
                added.put(v, new Object[] {a, port});
            }
        }
        assertEquals(added.size(), map.size());
        for (Map.Entry<String, Object[]> e : added.entrySet()) {
            IpAddress a = (IpAddress) e.getValue()[0];
            int port = (Integer) e.getValue()[1];
            assertEquals(e.getKey(), map.get(a.high(), a.low(), port));
            assertNull(map.get(a.high(), a.low(), port ^ 1));
        }
        assertEquals(added.size(), map.values().size());
    }

    @Test
    void anIpv4AddressAndItsMappedIpv6TwinAreTheSameKeyButAnIpv6PacketCannotCarryIt() {
        FlowMap<String> map = new FlowMap<>();
        IpAddress v4 = IpAddress.v4(0x0A000001);
        assertTrue(map.putIfAbsent(v4, 7, "a"));
        assertFalse(map.putIfAbsent(IpAddress.v4(0x0A000001), 7, "b"), "taken");
        assertEquals("a", map.get(v4, 7));
        assertNull(map.get(IpAddress.v6(0, 0x0A000001L), 7), "::10.0.0.1 is not 10.0.0.1");
    }

    @Test
    void removeTakesOnlyItsOwnValue() {
        FlowMap<String> map = new FlowMap<>();
        IpAddress a = IpAddress.v6(1, 2);
        map.putIfAbsent(a, 1, "x");
        map.putIfAbsent(a, 2, "y");
        map.remove(a, 1, "not x");
        assertEquals("x", map.get(a, 1));
        map.remove(a, 1, "x");
        assertNull(map.get(a, 1));
        assertSame("y", map.get(a, 2));
        assertEquals(1, map.size());
    }
}
