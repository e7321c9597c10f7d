package io.rsock.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.netlab.IspProfile;
import io.rsock.netlab.LabProcess;
import io.rsock.netlab.ProbeResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The foundation end to end: the unpacked tarball's {@code bin/rsock} over the plain-UDP plugin,
 * between real namespaces, a UDP echo app on top.
 */
class UdpTunnelIT {
    @BeforeAll
    static void needsTheLab() {
        RsockLab.assumeLab();
    }

    @Test
    void tenThousandDatagramsThroughTheUdpTransportArriveIntact() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "udp-open")) {
            LabProcess server = lab.server("udp");
            try (RsockLab.Client client = lab.client("udp").awaitServer().warmUp(lab)) {
                ProbeResult direct = lab.probeDirect(10_000, 1200, RsockLab.RATE, 1);
                ProbeResult tunnel = lab.probeTunnel(10_000, 1200, RsockLab.RATE, 1);
                System.out.println("open, 10 000 x 1200 B at " + RsockLab.RATE + "/s, direct UDP:  " + direct);
                System.out.println("open, 10 000 x 1200 B at " + RsockLab.RATE + "/s, rsock udp:   " + tunnel);
                assertEquals(0, tunnel.corrupt(), tunnel::toString);
                assertEquals(0, tunnel.misrouted(), tunnel::toString);
                assertTrue(tunnel.lossPercent() < 1, () -> "loss " + tunnel + "\nclient log:\n" + client.process().output()
                        + "\nserver log:\n" + server.output());
            }
        }
    }

    @Test
    void fiftyConcurrentFlowsEachGetOnlyTheirOwnReplies() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.OPEN, "udp-flows")) {
            lab.server("udp");
            try (RsockLab.Client client = lab.client("udp").awaitServer().warmUp(lab)) {
                ProbeResult r = lab.probeTunnel(10_000, 1200, RsockLab.RATE, 50);
                System.out.println("open, 50 flows, 10 000 x 1200 B, rsock udp: " + r);
                assertEquals(0, r.misrouted(), r::toString);
                assertEquals(0, r.corrupt(), r::toString);
                assertTrue(r.lossPercent() < 1, r::toString);
            }
        }
    }

    @Test
    void throttleShowsWhatThePolicerDoesToUdp() throws Exception {
        try (RsockLab lab = RsockLab.open(IspProfile.THROTTLE, "udp-throttle")) {
            lab.server("udp");
            try (RsockLab.Client client = lab.client("udp").awaitServer().warmUp(lab)) {
                ProbeResult direct = lab.probeDirect(3000, 1200, 2000, 1);
                ProbeResult tunnel = lab.probeTunnel(3000, 1200, 2000, 1);
                System.out.println("throttle, 3000 x 1200 B at 2000/s (19.2 Mbit/s offered), direct UDP: " + direct);
                System.out.println("throttle, 3000 x 1200 B at 2000/s (19.2 Mbit/s offered), rsock udp:  " + tunnel);
                assertTrue(direct.lossPercent() > 50, () -> "the policer did not bite: " + direct);
                assertEquals(0, tunnel.corrupt(), tunnel::toString);
            }
        }
    }
}
