package io.rsock.testkit.tck;

import io.rsock.api.ConnInfo;
import io.rsock.testkit.FreePorts;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Random;

/**
 * The compliance kit for a transport over the kernel's UDP sockets (a
 * {@link io.rsock.api.datagram.DatagramTransport}, say), run over 127.0.0.1 with free ports: all
 * that is left to say is how to make the transport.
 *
 * <pre>{@code
 * class XorTransportComplianceTest extends DatagramComplianceTest {
 *     protected ConnTransport newTransport(Role role) { return new XorTransport(); }
 * }
 * }</pre>
 *
 * <p>Its {@link #injectGarbage} sends what any UDP port on the Internet gets: random datagrams of
 * every size, empty and the largest UDP allows included, to the server's port, and some to the
 * client conn's own port too (its connected socket must ignore them). A transport with a format of
 * its own adds lookalikes of its messages by overriding it (calling this one first).
 */
public abstract class DatagramComplianceTest extends TransportComplianceTest {
    /** The largest UDP payload over IPv4. */
    private static final int MAX_DATAGRAM = 65507;
    private final FreePorts ports = new FreePorts();

    @Override
    protected InetSocketAddress serverAddress(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    @Override
    protected int listenPort() {
        return ports.next();
    }

    @Override
    protected void injectGarbage(InetSocketAddress server, ConnInfo victim) throws Exception {
        Random random = new Random(17);
        try (DatagramChannel stranger = DatagramChannel.open()) {
            stranger.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int[] sizes = {0, 1, 2, 7, 28, 1472, 1473, 9000, MAX_DATAGRAM};
            for (int size : sizes) {
                stranger.send(randomBytes(random, size), server);
            }
            for (int i = 0; i < 300; i++) {
                stranger.send(randomBytes(random, random.nextInt(2000)), server);
                if (i % 10 == 0) {
                    stranger.send(randomBytes(random, random.nextInt(200)), victim.local());
                }
            }
        }
    }

    /** {@code size} random bytes, to send. */
    protected static ByteBuffer randomBytes(Random random, int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return ByteBuffer.wrap(b);
    }
}
