package io.rsock.packet.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rsock.api.TransportException;
import io.rsock.packet.lab.Packets;
import java.net.InetAddress;
import java.net.NetworkInterface;
import org.junit.jupiter.api.Test;

/**
 * The choice of device, on this host's loopback only (read, never changed). Choosing by route is
 * covered with a canned table here and for real inside the namespaces by the lab tests.
 */
class DeviceSelectorTest {
    private static final RouteTable NO_ROUTES = RouteTable.parse("");

    private static String loopbackName() throws Exception {
        NetworkInterface lo = NetworkInterface.getByInetAddress(InetAddress.getByName("127.0.0.1"));
        assumeTrue(lo != null && lo.isUp(), "no loopback device with 127.0.0.1 is up");
        return lo.getName();
    }

    @Test
    void anExplicitNameWins() throws Exception {
        String lo = loopbackName();
        Device d = new DeviceSelector(NO_ROUTES).select(lo, null, Packets.inet("192.0.2.1"));
        assertEquals(lo, d.name());
        assertEquals(Packets.inet("127.0.0.1"), d.address());
        assertTrue(d.loopback());
        assertTrue(d.mtu() > 0 && d.mtu() <= 65535, "capped at what one IPv4 packet holds: " + d.mtu());
    }

    @Test
    void theOwnerOfTheLocalAddress() throws Exception {
        String lo = loopbackName();
        Device d = new DeviceSelector(NO_ROUTES).select(null, Packets.inet("127.0.0.1"), null);
        assertEquals(lo, d.name());
    }

    @Test
    void aLoopbackPeerIsReachedOnLoopback() throws Exception {
        String lo = loopbackName();
        Device d = new DeviceSelector(NO_ROUTES).select(null, null, Packets.inet("127.0.0.1"));
        assertEquals(lo, d.name());
        assertEquals(Packets.inet("127.0.0.1"), d.address());
    }

    @Test
    void theRouteToThePeerPicksTheDevice() throws Exception {
        String lo = loopbackName();
        // A made-up table that routes TEST-NET-2 through loopback: the selector must follow it.
        RouteTable table = new RouteTable(java.util.List.of(new Route(lo, Packets.addr("198.51.100.0"), Packets.addr("255.255.255.0"), 0, 0)));
        Device d = new DeviceSelector(table).select(null, null, Packets.inet("198.51.100.7"));
        assertEquals(lo, d.name());
    }

    @Test
    void failuresSayWhatToPass() throws Exception {
        String lo = loopbackName();
        DeviceSelector s = new DeviceSelector(NO_ROUTES);
        TransportException noDevice = assertThrows(TransportException.class, () -> s.select("rsk-no-such0", null, null));
        assertTrue(noDevice.getMessage().contains("no device named rsk-no-such0"), noDevice.getMessage());
        TransportException notOwned = assertThrows(TransportException.class, () -> s.select(lo, Packets.inet("192.0.2.99"), null));
        assertTrue(notOwned.getMessage().contains("--lcapIp"), notOwned.getMessage());
    }

    @Test
    void anIpv6PeerIsReachedOnTheDeviceOfItsRouteWithBothFamiliesKept() throws Exception {
        String lo = loopbackName();
        InetAddress v6 = InetAddress.getByName("::1");
        assumeTrue(NetworkInterface.getByInetAddress(v6) != null, "IPv6 is off on this host's loopback");
        Device d = new DeviceSelector(NO_ROUTES).select(null, null, v6);
        assertEquals(lo, d.name());
        assertTrue(d.addresses6().contains(v6), d.toString());
        assertEquals(Packets.inet("127.0.0.1"), d.address(), "the IPv4 address comes with it");
        assertEquals(v6, DeviceSelector.sourceFor(d, v6));
        assertEquals(d, new DeviceSelector(NO_ROUTES).select(null, v6, null), "--lcapIp ::1");
    }
}
