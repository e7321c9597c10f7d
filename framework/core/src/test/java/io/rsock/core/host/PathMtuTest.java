package io.rsock.core.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.HandshakeTokens;
import io.rsock.api.Role;
import io.rsock.api.TransportException;
import io.rsock.core.stats.Counters;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What a transport learns of the path: the user's --opt mtu, else the route's device, at most 1500. */
class PathMtuTest {
    @Test
    void theUsersMtuWins() {
        assertEquals(1400, new PathMtu(1400, a -> 9000).of(InetAddress.getLoopbackAddress()));
    }

    @Test
    void aSmallerDeviceLowersItAndALargerOneDoesNotRaiseItAbove1500() throws Exception {
        InetAddress wg = InetAddress.getByName("10.9.0.1");
        assertEquals(1420, new PathMtu(0, a -> 1420).of(wg), "a WireGuard device's 1420");
        assertEquals(1500, new PathMtu(0, a -> 65536).of(wg), "loopback's 65536: beyond the first hop is unknown");
    }

    @Test
    void eachRemoteIsLookedUpOnce() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        PathMtu mtu = new PathMtu(0, a -> {
            lookups.incrementAndGet();
            return 1500;
        });
        InetAddress a = InetAddress.getByName("192.0.2.1");
        for (int i = 0; i < 10; i++) {
            mtu.of(a);
        }
        assertEquals(1, lookups.get());
    }

    @Test
    void loopbacksDeviceIsFoundAndCappedAt1500() {
        int device = PathMtu.routeDeviceMtu(InetAddress.getLoopbackAddress());
        assertTrue(device >= 1500, "lo's MTU: " + device);
        assertEquals(1500, new PathMtu(0).of(InetAddress.getLoopbackAddress()));
    }

    @Test
    void theHostRefusesAnMtuThatIsNotOne() {
        for (String bad : new String[] {"20", "x", "70000"}) {
            TransportException e = assertThrows(TransportException.class,
                    () -> new HostContext(Role.CLIENT, null, null, null, new Counters(), Map.of("mtu", bad), HandshakeTokens.open()));
            assertTrue(e.getMessage().startsWith("option mtu: expected a whole number from 576 to 65535"), e.getMessage());
        }
    }
}
