package io.rsock.transport.icmp;

import io.rsock.testkit.TestAddresses;
import java.net.InetAddress;

/**
 * The whole compliance kit again in ICMPv6 echoes (client fd00:201:1::2, server fd00:201:2::2):
 * credit, replies, hostile messages, closes and redials, all over IPv6.
 */
class IcmpIpv6ComplianceTest extends IcmpComplianceTest {
    @Override
    protected InetAddress client() {
        return TestAddresses.CLIENT6;
    }

    @Override
    protected InetAddress server() {
        return TestAddresses.SERVER6;
    }
}
