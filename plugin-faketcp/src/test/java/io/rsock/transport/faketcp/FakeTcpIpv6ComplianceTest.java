package io.rsock.transport.faketcp;

import io.rsock.testkit.TestAddresses;
import java.net.InetAddress;

/**
 * The whole compliance kit again over IPv6 (client fd00:201:1::2, server fd00:201:2::2): the
 * handshake, frames of every size, hostile segments, closes and redials, all in IPv6 packets.
 */
class FakeTcpIpv6ComplianceTest extends FakeTcpComplianceTest {
    @Override
    protected InetAddress client() {
        return TestAddresses.CLIENT6;
    }

    @Override
    protected InetAddress server() {
        return TestAddresses.SERVER6;
    }
}
