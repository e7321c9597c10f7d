package org.example.rsock.dns;

import io.rsock.api.ConnInfo;
import io.rsock.api.ConnTransport;
import io.rsock.api.Role;
import io.rsock.testkit.tck.TransportComplianceTest;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * The DNS transport against rsock-testkit's transport compliance kit, over 127.0.0.1 with free
 * ports (53 needs root; the port is just a number to the transport).
 */
class DnsTransportComplianceTest extends TransportComplianceTest {
    private final Set<Integer> given = new HashSet<>();

    @Override
    protected ConnTransport newTransport(Role role) {
        return new DnsTransport();
    }

    @Override
    protected InetSocketAddress serverAddress(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    @Override
    protected int listenPort() {
        while (true) {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                if (given.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /**
     * What port 53 on the Internet gets: random bytes of every size, real-looking queries for other
     * names, responses, truncated and corrupted copies of a valid query, and names with bad base32.
     */
    @Override
    protected void injectGarbage(InetSocketAddress server, ConnInfo victim) throws Exception {
        Random random = new Random(53);
        DnsCodec codec = new DnsCodec("t.rsock.example");
        ByteBuffer valid = ByteBuffer.allocate(1024);
        codec.encodeQuery(valid, 7, ByteBuffer.wrap(new byte[100]));
        byte[] query = new byte[valid.remaining()];
        valid.get(query);
        try (DatagramChannel stranger = DatagramChannel.open()) {
            stranger.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            for (int size : new int[] {0, 1, 11, 12, 13, 512, 1500, 9000}) {
                stranger.send(random(random, size), server);
            }
            for (int cut = 0; cut < query.length; cut += 7) {
                stranger.send(ByteBuffer.wrap(query, 0, cut), server);
            }
            for (int i = 0; i < 300; i++) {
                byte[] corrupt = query.clone();
                corrupt[random.nextInt(corrupt.length)] = (byte) random.nextInt(256);
                stranger.send(ByteBuffer.wrap(corrupt), server);
            }
            // A plain query for another name, and a name with characters outside base32.
            stranger.send(ByteBuffer.wrap(hexQuery("www.example.com")), server);
            stranger.send(ByteBuffer.wrap(hexQuery("0189.t.rsock.example")), server);
            for (int i = 0; i < 20; i++) {
                stranger.send(random(random, random.nextInt(200)), victim.local());
            }
        }
    }

    private static byte[] hexQuery(String name) {
        byte[] wire = DnsCodec.wireName(name);
        ByteBuffer b = ByteBuffer.allocate(12 + wire.length + 4);
        b.putShort((short) 1).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        b.put(wire).putShort((short) 16).putShort((short) 1);
        return b.array();
    }

    private static ByteBuffer random(Random random, int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return ByteBuffer.wrap(b);
    }
}
