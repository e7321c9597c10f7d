package io.rsock.packet.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.netlab.IspProfile;
import io.rsock.netlab.Side;
import io.rsock.netlab.TestNetwork;
import io.rsock.packet.capture.BpfFilter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The kernel filter on a real libpcap handle follows the registrations: widened before register
 * returns, narrowed after a registration closes, back to matching nothing at the end. That each
 * step was installed also proves libpcap compiles every kind of clause BpfFilter writes, IPv6 ones
 * and the routers' "too big" messages included.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PacketLayerFilterUpdateTest {

    @Test
    void theKernelFilterFollowsRegisterAndUnregister() {
        Lab.assumeAvailable();
        try (TestNetwork net = TestNetwork.create(IspProfile.OPEN)) {
            LabOutput out = LabOutput.parse(net.run(Side.CLIENT, Lab.main("filters", Lab.CLIENT_DEVICE).toArray(String[]::new)));
            List<String> steps = out.strings("steps");
            String tcp = "(tcp and dst port 10001 and src host 10.201.1.2)";
            String tcp6 = "(tcp and dst port 10001 and src host fd00:201:1:0:0:0:0:2 and src port 40000)";
            String udp = "(udp and dst port 5000)";
            String icmp = "(icmp and src host 10.201.1.2 and (icmp[icmptype] == icmp-echo or icmp[icmptype] == icmp-echoreply)"
                    + " and icmp[4:2] == 4660)";
            String icmp6 = "(icmp6 and src host fd00:201:1:0:0:0:0:2 and (ip6[40] == 128 or ip6[40] == 129) and ip6[44:2] == 4660)";
            String gre = "(ip proto 47 and src host 10.201.1.2)";
            String tooBig = " or " + BpfFilter.TOO_BIG;
            assertEquals(List.of(
                    "less 1",
                    tcp + tooBig,
                    tcp + " or " + udp + tooBig,
                    // most specific first, then in order
                    tcp6 + " or " + tcp + " or " + icmp + " or " + icmp6 + " or " + udp + " or " + gre + tooBig,
                    tcp6 + " or " + tcp + " or " + icmp + " or " + icmp6 + " or " + gre + tooBig,
                    "less 1"), steps, out::toString);
            assertTrue(out.string("duplicate").contains("registered for"), out::toString);
        }
    }
}
