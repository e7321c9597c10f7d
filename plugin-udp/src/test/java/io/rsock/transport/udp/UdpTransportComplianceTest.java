package io.rsock.transport.udp;

import io.rsock.api.ConnTransport;
import io.rsock.api.Role;
import io.rsock.testkit.tck.DatagramComplianceTest;

/** The plain-UDP transport against the transport compliance kit, over 127.0.0.1. */
class UdpTransportComplianceTest extends DatagramComplianceTest {
    @Override
    protected ConnTransport newTransport(Role role) {
        return new UdpTransport();
    }
}
