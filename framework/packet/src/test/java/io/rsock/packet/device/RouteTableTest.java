package io.rsock.packet.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rsock.packet.lab.Packets;
import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Parsing {@code /proc/net/route} (how the table is read) and the kernel's lookup rules. */
class RouteTableTest {
    /** As a little-endian Linux prints it: each address is its network-order word read as a host int. */
    static final String PROC_NET_ROUTE = """
            Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
            eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0
            wlan0\t00000000\t0102A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0
            eth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0
            tun0\t0000000A\t00000000\t0001\t0\t0\t0\t000000FF\t0\t0\t0
            tun1\t0001000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
            tun2\t0001000A\t00000000\t0001\t0\t0\t50\t00FFFFFF\t0\t0\t0
            down0\t0002000A\t00000000\t0000\t0\t0\t0\t00FFFFFF\t0\t0\t0
            garbage line
            bad0\tZZZZZZZZ\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
            """;

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the canned table is a little-endian host's");
    }

    @Test
    void parsesEveryRouteThatIsUpAndSkipsTheRest() {
        RouteTable t = RouteTable.parse(PROC_NET_ROUTE);
        assertEquals(6, t.routes().size(), t.routes()::toString);
        Route lan = t.routes().get(2);
        assertEquals(new Route("eth0", Packets.addr("192.168.1.0"), Packets.addr("255.255.255.0"), 0, 100), lan);
        assertEquals(24, lan.prefixLength());
        assertTrue(t.routes().stream().noneMatch(r -> r.device().equals("down0")), "a route without RTF_UP is not used");
    }

    @Test
    void longestPrefixWinsThenLowestMetric() {
        RouteTable t = RouteTable.parse(PROC_NET_ROUTE);
        assertEquals("tun1", t.lookup(Packets.addr("10.0.1.7")).orElseThrow().device(), "/24 over /8, metric 0 over 50");
        assertEquals("tun0", t.lookup(Packets.addr("10.9.9.9")).orElseThrow().device());
        assertEquals("eth0", t.lookup(Packets.addr("192.168.1.9")).orElseThrow().device());
        Route def = t.lookup(Packets.addr("8.8.8.8")).orElseThrow();
        assertEquals("eth0", def.device(), "the default route with the lower metric");
        assertEquals(Packets.addr("192.168.1.1"), def.nextHop(Packets.addr("8.8.8.8")));
        assertEquals(Packets.addr("192.168.1.9"), t.lookup(Packets.addr("192.168.1.9")).orElseThrow().nextHop(Packets.addr("192.168.1.9")),
                "on-link: the destination itself");
    }

    @Test
    void defaultRouteIsTheLowestMetricOne() {
        Route def = RouteTable.parse(PROC_NET_ROUTE).defaultRoute().orElseThrow();
        assertEquals("eth0", def.device());
        assertTrue(def.isDefault());
    }

    @Test
    void noRoutesNoAnswer() {
        RouteTable t = RouteTable.parse("Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n");
        assertTrue(t.lookup(Packets.addr("1.2.3.4")).isEmpty());
        assertTrue(t.defaultRoute().isEmpty());
    }
}
