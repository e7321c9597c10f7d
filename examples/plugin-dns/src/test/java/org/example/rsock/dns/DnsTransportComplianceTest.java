package org.example.rsock.dns;

import io.rsock.api.ConnInfo;
import io.rsock.api.ConnTransport;
import io.rsock.api.Role;
import io.rsock.testkit.tck.DatagramComplianceTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Random;

/**
 * The DNS transport against rsock-testkit's transport compliance kit, over 127.0.0.1 with free
 * ports (53 needs root; the port is just a number to the transport).
 */
class DnsTransportComplianceTest extends DatagramComplianceTest {
    @Override
    protected ConnTransport newTransport(Role role) {
        return new DnsTransport();
    }

    /**
     * What port 53 on the Internet gets besides random bytes: real-looking queries for other names,
     * truncated and corrupted copies of a valid query, and names with bad base32.
     */
    @Override
    protected void injectGarbage(InetSocketAddress server, ConnInfo victim) throws Exception {
        super.injectGarbage(server, victim);
        Random random = new Random(53);
        DnsCodec codec = new DnsCodec(DnsTransport.DEFAULT_DOMAIN);
        ByteBuffer valid = ByteBuffer.allocate(1024);
        codec.encodeQuery(valid, 7, ByteBuffer.wrap(new byte[100]));
        byte[] query = new byte[valid.remaining()];
        valid.get(query);
        try (DatagramChannel stranger = DatagramChannel.open()) {
            stranger.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
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
        }
    }

    private static byte[] hexQuery(String name) {
        byte[] wire = DnsCodec.wireName(name);
        ByteBuffer b = ByteBuffer.allocate(12 + wire.length + 4);
        b.putShort((short) 1).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        b.put(wire).putShort((short) 16).putShort((short) 1);
        return b.array();
    }
}
