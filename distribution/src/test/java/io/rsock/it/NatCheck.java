package io.rsock.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.netlab.TestNetwork;
import java.io.IOException;

/** What the {@code strict} profile's NAT must show at the server. */
final class NatCheck {
    private NatCheck() {
    }

    /** The server sees the client's conns coming from the isp's server-side address: they crossed the NAT. */
    static void assertClientNatedByIsp(RsockLab lab) throws IOException {
        String conns = lab.serverStatus().get("clients").toString();
        System.out.println("strict, the server sees the client's conns as: " + conns);
        assertTrue(conns.contains("-> " + TestNetwork.ISP_SERVER_SIDE + ":"),
                () -> "the client's packets did not arrive NATed to " + TestNetwork.ISP_SERVER_SIDE + ": " + conns);
    }
}
