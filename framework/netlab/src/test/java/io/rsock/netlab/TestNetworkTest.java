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

    @Test
    void pushbackProfilesDoWhatTheirNamesSay() throws Exception {
        try (TestNetwork net = TestNetwork.create(IspProfile.UDP_LARGE_DROPPED)) {
            UdpEcho.start(net, Side.SERVER, "echo", 9999, 120);
            ProbeResult large = probe(net, 200, 1200, 1000, 1);
            ProbeResult small = probe(net, 200, 200, 1000, 1);
            System.out.println("lab udp_large_dropped, direct UDP: 1 200 B " + large + "; 200 B " + small);
            assertEquals(0, large.received(), large::toString);
            assertEquals(200, small.received(), small::toString);

            net.setProfile(IspProfile.UDP_BLACKOUT);
            ProbeResult dark = probe(net, 200, 200, 1000, 1);
            Thread.sleep(IspProfile.BLACKOUT_SECONDS * 1000L + 500);
            ProbeResult healed = probe(net, 200, 200, 1000, 1);
            System.out.println("lab udp_blackout, direct UDP: during " + dark + "; after " + healed);
            assertEquals(0, dark.received(), dark::toString);
            assertEquals(200, healed.received(), healed::toString);

            // A kernel TCP transfer of 40 MB is some 40 000 packets with its ACKs (the lab's veths cut GSO
            // batches into packets, as a wire would): the forger resets it.
            net.setProfile(IspProfile.RST_FORGED);
            TcpTransfer.sink(net, Side.SERVER, 12948, 60);
            String source = TcpTransfer.send(net, Side.CLIENT, TestNetwork.SERVER_ADDRESS + ":12948", 40_000_000, 20);
            long resets = net.ispCounter("tcp_reset");
            System.out.println("lab rst_forged, a kernel TCP transfer: " + source + ", " + resets
                    + " RST forged, " + net.ispCounter("flow_dead") + " packets of reset flows dropped");
            assertTrue(resets >= 1, "no RST forged");
            assertTrue(source.startsWith("{\"error\""), "the transfer survived its RST: " + source);
        }
    }

    @Test
    void aTcpTransferCrossesTheOpenIspIntact() {
        try (TestNetwork net = TestNetwork.create(IspProfile.OPEN)) {
            TcpTransfer.Sink sink = TcpTransfer.sink(net, Side.SERVER, 12948, 60);
            String sent = TcpTransfer.send(net, Side.CLIENT, TestNetwork.SERVER_ADDRESS + ":12948", 5_000_000, 30);
            String received = sink.result(5000);
            System.out.println("lab open, a TCP transfer: sent " + sent + ", received " + received);
            assertTrue(sent.startsWith("{\"bytes\":5000000,"), sent);
            assertEquals(sent, received);
        }
    }

    static ProbeResult probe(TestNetwork net, int count, int size, int rate, int flows) {
        return UdpProbe.run(net, Side.CLIENT, TestNetwork.SERVER_ADDRESS + ":9999", count, size, rate, flows, 1000);
    }

    /**
     * The same lab over IPv6: plain UDP crosses the open isp, is policed by the throttling one and
     * dropped by the strict one, whose NAT66 hides the client behind the isp's address.
     */
    @Test
    void ipv6CrossesTheIspAndStrictDropsAndMasqueradesIt() throws Exception {
        try (TestNetwork net = TestNetwork.create(IspProfile.OPEN)) {
            UdpEcho.start(net, Side.SERVER, "echo", 9999, 120);
            ProbeResult open = UdpProbe.run(net, Side.CLIENT, "[" + TestNetwork.SERVER_ADDRESS6 + "]:9999", 500, 1200, 1000, 1, 1000);
            System.out.println("lab open, direct UDP over IPv6: " + open);
            assertTrue(open.clean(), open::toString);
            assertTrue(open.received() > 450, open::toString);

            net.setProfile(IspProfile.THROTTLE);
            ProbeResult throttled = UdpProbe.run(net, Side.CLIENT, "[" + TestNetwork.SERVER_ADDRESS6 + "]:9999", 3000, 1200, 3000, 1, 1000);
            System.out.println("lab throttle, direct UDP over IPv6 at 28.8 Mbit/s offered: " + throttled);
            assertTrue(throttled.lossPercent() > 50, throttled::toString);
            assertTrue(net.ispCounter("udp_policed") > 0);

            net.setProfile(IspProfile.STRICT);
            ProbeResult strict = UdpProbe.run(net, Side.CLIENT, "[" + TestNetwork.SERVER_ADDRESS6 + "]:9999", 100, 1200, 1000, 1, 500);
            assertEquals(0, strict.received(), strict::toString);
            // A TCP SYN to a closed port of the server, as the server sees it: from the isp's address (NAT66).
            LabProcess dump = net.start(Side.SERVER, "tcpdump", List.of("timeout", "10", "tcpdump", "-i", "s0", "-n", "-l", "-c", "1",
                    "ip6 and tcp"));
            dump.awaitOutput("listening", 10_000);
            net.tryRun(Side.CLIENT, "timeout", "3", "bash", "-c", "exec 3<>/dev/tcp/" + TestNetwork.SERVER_ADDRESS6 + "/9");
            dump.awaitOutput(" > " + TestNetwork.SERVER_ADDRESS6 + ".9:", 10_000);
            assertTrue(dump.output().contains("IP6 " + TestNetwork.ISP_SERVER_SIDE6 + "."),
                    () -> "the client's SYN NATed to the isp's IPv6 address: " + dump.output());
        }
    }
}
