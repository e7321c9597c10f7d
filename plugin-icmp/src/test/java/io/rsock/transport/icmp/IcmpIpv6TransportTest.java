package io.rsock.transport.icmp;

import io.rsock.testkit.TestAddresses;
import java.net.InetAddress;

/**
 * {@link IcmpTransportTest} in ICMPv6: the server's kernel answers ICMPv6 echo requests until the
 * conn's {@code icmpv6} rule is in, the client drops those echoes, replies match requests for
 * conntrack, and someone's ordinary ping6 stays the kernel's.
 */
class IcmpIpv6TransportTest extends IcmpTransportTest {
    @Override
    InetAddress client() {
        return TestAddresses.CLIENT6;
    }

    @Override
    InetAddress server() {
        return TestAddresses.SERVER6;
    }

    @Override
    InetAddress pinger() {
        return TestAddresses.of("fd00:201:1::3");
    }
}
