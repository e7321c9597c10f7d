package io.rsock.packet.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rsock.netlab.IspProfile;
import io.rsock.netlab.Side;
import io.rsock.netlab.TestNetwork;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The portable path's next-hop probe in the client's namespace, its neighbour cache flushed
 * first: the kernel's own datagram to the server shows the isp's MAC (and its ARP exchange the
 * isp's address); with that datagram blocked on its way out, a peer on the client's own link is
 * found by ARP through pcap, and one beyond the router is honestly not found.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NextHopProbeTest {
    private static final Pattern MAC = Pattern.compile("link/ether (\\S+)");

    @Test
    void theKernelsFrameNamesTheRouterAndArpFindsAnOnLinkPeer() {
        Lab.assumeAvailable();
        try (TestNetwork net = TestNetwork.create(IspProfile.OPEN)) {
            Matcher m = MAC.matcher(net.run(Side.ISP, "ip", "link", "show", "i0"));
            m.find();
            String ispMac = m.group(1);
            net.run(Side.CLIENT, "ip", "neigh", "flush", "all");
            LabOutput viaRouter = probe(net, TestNetwork.SERVER_ADDRESS);
            assertEquals(ispMac, viaRouter.string("mac"), viaRouter::toString);
            assertEquals(TestNetwork.ISP_CLIENT_SIDE, viaRouter.string("address"), "named by the kernel's ARP exchange");
            assertEquals("the kernel's own frame to 10.201.2.2:9", viaRouter.string("how"));

            net.run(Side.CLIENT, "nft", "add table inet rsklab_probe; add chain inet rsklab_probe out { type filter hook output "
                    + "priority 0; policy accept; }; add rule inet rsklab_probe out udp dport 9 drop");
            net.run(Side.CLIENT, "ip", "neigh", "flush", "all");
            LabOutput onLink = probe(net, TestNetwork.ISP_CLIENT_SIDE);
            assertEquals(ispMac, onLink.string("mac"), onLink::toString);
            assertEquals("ARP through pcap", onLink.string("how"));
            assertEquals("none", probe(net, TestNetwork.SERVER_ADDRESS).string("mac"), "beyond the router, no ARP can help");
        }
    }

    private static LabOutput probe(TestNetwork net, String peer) {
        return LabOutput.parse(net.run(Side.CLIENT, Lab.main("probe", Lab.CLIENT_DEVICE, peer).toArray(String[]::new)));
    }
}
