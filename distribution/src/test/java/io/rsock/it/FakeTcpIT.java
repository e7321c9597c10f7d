package io.rsock.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.netlab.IspProfile;
import io.rsock.netlab.KcptunTransfer;
import io.rsock.netlab.LabProcess;
import io.rsock.netlab.ProbeResult;
import io.rsock.netlab.Side;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fake TCP from the unpacked tarball between real namespaces: through each ISP profile, through the
 * strict one's conntrack and NAT without a single invalid packet, real kcptun on top, a server
 * restart, and no firewall rule left behind by any of it.
 */
class FakeTcpIT {
    @BeforeAll
    static void needsTheLab() {
        RsockLab.assumeLab();
    }

    @ParameterizedTest
    @EnumSource(value = IspProfile.class, names = {"OPEN", "THROTTLE", "STRICT"})
    void tenThousandDatagramsArriveIntactInEveryProfile(IspProfile profile) throws Exception {
        try (RsockLab lab = RsockLab.open(profile, "tcp-" + profile.label())) {
            LabProcess server = lab.server("tcp");
            try (RsockLab.Client client = lab.client("tcp").awaitServer().warmUp(lab)) {
                ProbeResult r = lab.probeTunnel(10_000, 1200, RsockLab.RATE, 1);
                System.out.println(profile.label() + ", 10 000 x 1200 B at " + RsockLab.RATE + "/s, rsock tcp: " + r);
                assertEquals(0, r.corrupt(), r::toString);
                assertEquals(0, r.misrouted(), r::toString);
                assertTrue(r.lossPercent() < 1, () -> "loss " + r + "\nclient log:\n" + client.process().output()
                        + "\nserver log:\n" + server.output());
                if (profile == IspProfile.STRICT) {
                    assertEquals(0, lab.net.ispCounter("ct_invalid"), "packets conntrack found invalid");
                    NatCheck.assertClientNatedByIsp(lab);
                }
            }
            server.stop(5000);
            assertEquals("", lab.rsockRules(Side.SERVER), "rules left on the server");
            assertEquals("", lab.rsockRules(Side.CLIENT), "rules left on the client");
        }
    }

    @Test
    void thePortablePcapInjectorCarriesTheTunnelToo() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.STRICT, "tcp-pcap-injector")) {
            lab.server("tcp", "--opt", "packet.injector=pcap");
            try (RsockLab.Client client = lab.client("tcp", "--opt", "packet.injector=pcap").awaitServer().warmUp(lab)) {
                // The portable path (one pcap_sendpacket per packet) is checked for correctness at a moderate rate.
                ProbeResult r = lab.probeTunnel(5000, 1200, 2000, 1);
                System.out.println("strict, pcap L2 injection on both ends, 5000 x 1200 B at 2000/s, rsock tcp: " + r);
                assertEquals(0, r.corrupt(), r::toString);
                assertTrue(r.lossPercent() < 1, r::toString);
                assertEquals(0, lab.net.ispCounter("ct_invalid"), "packets conntrack found invalid");
            }
        }
    }

    @Test
    void underThrottleFakeTcpDeliversWhatPlainUdpCannot() throws Exception {
        ProbeResult udp;
        ProbeResult tcp;
        try (RsockLab lab = RsockLab.open(IspProfile.THROTTLE, "throttle-udp-vs-tcp")) {
            lab.server("udp");
            try (RsockLab.Client client = lab.client("udp").awaitServer()) {
                udp = lab.probeTunnel(5000, 1200, 5000, 1);
            }
        }
        try (RsockLab lab = RsockLab.open(IspProfile.THROTTLE, "throttle-tcp")) {
            lab.server("tcp");
            try (RsockLab.Client client = lab.client("tcp").awaitServer().warmUp(lab)) {
                tcp = lab.probeTunnel(5000, 1200, 5000, 1);
            }
        }
        System.out.println("throttle, 5000 x 1200 B at 5000/s (48 Mbit/s offered):");
        System.out.println("  rsock udp: " + udp);
        System.out.println("  rsock tcp: " + tcp);
        assertTrue(tcp.lossPercent() < 1, tcp::toString);
        assertTrue(udp.lossPercent() > 50, udp::toString);
    }

    @Test
    void kcptunMovesTwentyMegabytesIntactThroughStrict() throws Exception {
        RsockLab.assumeCommand("kcptun-client");
        try (RsockLab lab = RsockLab.open(IspProfile.STRICT, "kcptun-tcp-strict")) {
            lab.serverTo(RsockLab.KCPTUN_PORT, "tcp");
            try (RsockLab.Client client = lab.client("tcp").awaitServer()) {
                KcptunTransfer.Result t = lab.kcptunTransfer(KcptunIT.BYTES, 180);
                System.out.printf("strict, kcptun over rsock tcp: 20 MB in %.1f s (%.1f Mbit/s), intact: %s, ct invalid: %d%n",
                        t.seconds(), t.mbps(KcptunIT.BYTES), t.intact(), lab.net.ispCounter("ct_invalid"));
                assertTrue(t.intact(), () -> "sent " + t.sent() + " received " + t.received());
                assertEquals(0, lab.net.ispCounter("ct_invalid"), "packets conntrack found invalid");
            }
        }
    }

    @Test
    void aKilledServerIsBackWithinThreeSecondsAndTheFlowGoesOn() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.STRICT, "tcp-restart")) {
            LabProcess first = lab.server("tcp");
            try (RsockLab.Client client = lab.client("tcp").awaitServer()) {
                // 10 s of traffic at 1 000/s from one app flow that is never restarted.
                CompletableFuture<ProbeResult> flow = CompletableFuture.supplyAsync(() -> lab.probeTunnel(10_000, 1200, 1000, 1));
                Thread.sleep(3000);
                first.kill(); // kill -9: no FIN, no RST, its rules stay behind
                LabProcess second = lab.server("tcp");
                ProbeResult r = flow.get();
                System.out.println("strict, server killed with -9 at 3 s and restarted: " + r + ", longest silence "
                        + Math.round(r.maxGapMillis()) + " ms");
                assertTrue(r.maxGapMillis() < 3000, () -> "the client took " + r.maxGapMillis() + " ms to come back; client log:\n"
                        + client.process().output() + "\nnew server log:\n" + second.output());
                assertTrue(r.received() > 10_000 - 3 * 1000, r::toString);
                assertEquals(0, r.corrupt(), r::toString);
                second.stop(5000);
            }
            assertEquals("", lab.rsockRules(Side.SERVER), "rules left on the server (the killed run's must go at the restart)");
            assertEquals("", lab.rsockRules(Side.CLIENT), "rules left on the client");
        }
    }
}
