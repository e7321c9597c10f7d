package io.rsock.netlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The lab itself: the profiles do to plain UDP what DESIGN.md says, and nothing is left behind. */
class TestNetworkTest {
    @BeforeAll
    static void needsTheLab() {
        String reason = TestNetwork.unavailableReason();
        assumeTrue(reason == null, () -> "skipped: " + reason);
    }

    @Test
    void profilesShapePlainUdpAndCloseLeavesNothing() {
        String ns;
        try (TestNetwork net = TestNetwork.create(IspProfile.OPEN)) {
            ns = net.namespace(Side.ISP);
            UdpEcho.start(net, Side.SERVER, "echo", 9999, 120);
            ProbeResult open = probe(net, 2000, 1200, 5000, 1);
            System.out.println("lab open, direct UDP: " + open);
            assertTrue(open.clean(), open::toString);
            assertTrue(open.lossPercent() < 1, open::toString);

            net.setProfile(IspProfile.THROTTLE);
            ProbeResult throttled = probe(net, 3000, 1200, 3000, 1);
            System.out.println("lab throttle, direct UDP at 28.8 Mbit/s offered: " + throttled);
            assertTrue(throttled.lossPercent() > 50, throttled::toString);
            assertTrue(net.ispCounter("udp_policed") > 0);

            net.setProfile(IspProfile.STRICT);
            ProbeResult strict = probe(net, 200, 1200, 1000, 1);
            System.out.println("lab strict, direct UDP: " + strict);
            assertEquals(0, strict.received());
            assertTrue(net.ispCounter("udp_dropped") >= 200);
            assertEquals("0", net.run(Side.ISP, "sysctl", "-n", "net.netfilter.nf_conntrack_tcp_loose").strip());
        }
        assertFalse(Shell.check(List.of("ip", "netns", "list")).contains(ns), "namespace left behind");
    }

    static ProbeResult probe(TestNetwork net, int count, int size, int rate, int flows) {
        return UdpProbe.run(net, Side.CLIENT, TestNetwork.SERVER_ADDRESS + ":9999", count, size, rate, flows, 1000);
    }
}
