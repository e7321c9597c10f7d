package io.rsock.transport.udp;

import io.rsock.api.ConnInfo;
import io.rsock.api.ConnTransport;
import io.rsock.api.Role;
import io.rsock.testkit.tck.TransportComplianceTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Random;

/** The plain-UDP transport against the transport compliance kit, over 127.0.0.1. */
class UdpTransportComplianceTest extends TransportComplianceTest {
    private final FreePorts ports = new FreePorts();

    @Override
    protected ConnTransport newTransport(Role role) {
        return new UdpTransport();
    }

    @Override
    protected InetSocketAddress serverAddress(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    @Override
    protected int listenPort() {
        return ports.next();
    }

    /**
     * Datagrams of every size a stranger could send, empty and the largest UDP allows included,
     * from a socket of its own, and a few spoofing nothing but hammering the client's own port too.
     */
    @Override
    protected void injectGarbage(InetSocketAddress server, ConnInfo victim) throws Exception {
        Random random = new Random(17);
        try (DatagramChannel stranger = DatagramChannel.open()) {
            stranger.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int[] sizes = {0, 1, 2, 7, 28, 1472, 1473, 9000, UdpTransport.MAX_UDP_PAYLOAD};
            for (int size : sizes) {
                stranger.send(randomBytes(random, size), server);
            }
            for (int i = 0; i < 300; i++) {
                stranger.send(randomBytes(random, random.nextInt(2000)), server);
                if (i % 10 == 0) {
                    // Strangers write to the client's port as well; its connected socket must ignore them.
                    stranger.send(randomBytes(random, random.nextInt(200)), victim.local());
                }
            }
        }
    }

    private static ByteBuffer randomBytes(Random random, int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return ByteBuffer.wrap(b);
    }
}
