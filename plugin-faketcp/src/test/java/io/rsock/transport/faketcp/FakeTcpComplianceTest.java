package io.rsock.transport.faketcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.ConnInfo;
import io.rsock.api.ConnTransport;
import io.rsock.api.Role;
import io.rsock.api.codec.Ipv4;
import io.rsock.api.codec.Ipv4TcpWriter;
import io.rsock.api.codec.Tcp;
import io.rsock.testkit.TestTransportContext;
import io.rsock.testkit.memory.InMemoryPacketNetwork;
import io.rsock.testkit.tck.TransportComplianceTest;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The transport compliance kit over an in-memory packet network: client 10.0.0.1, server 10.0.0.2. */
class FakeTcpComplianceTest extends TransportComplianceTest {
    static final Inet4Address CLIENT = addr("10.0.0.1");
    static final Inet4Address SERVER = addr("10.0.0.2");
    private static final AtomicInteger PORTS = new AtomicInteger(20000);

    private InMemoryPacketNetwork net;
    /** The last client-to-server segment's seq and ack, packed, as seen on the wire. */
    private final AtomicLong lastUp = new AtomicLong();

    @Override
    protected TestTransportContext newContext(Role role) {
        if (net == null) {
            net = closeAfterTest(new InMemoryPacketNetwork());
            net.tap(p -> {
                if (Ipv4.protocol(p, 0) == 6 && Ipv4.source(p, 0) == Ipv4.toInt(CLIENT)) {
                    int t = Ipv4.headerLength(p, 0);
                    if (p.limit() < t + Tcp.MIN_HEADER) {
                        return; // injected garbage
                    }
                    lastUp.set((long) Tcp.sequence(p, t) << 32 | (Tcp.acknowledgment(p, t) & 0xFFFFFFFFL));
                }
            });
        }
        return TestTransportContext.builder()
                .role(role)
                .packets(net.endpoint(role == Role.SERVER ? SERVER : CLIENT, 1500))
                .peerHint(role == Role.CLIENT ? SERVER : null)
                .build();
    }

    @Override
    protected ConnTransport newTransport(Role role) {
        return new FakeTcpTransport();
    }

    @Override
    protected InetSocketAddress serverAddress(int port) {
        return new InetSocketAddress(SERVER, port);
    }

    @Override
    protected int listenPort() {
        return PORTS.incrementAndGet();
    }

    @Override
    protected void injectGarbage(InetSocketAddress server, ConnInfo client) throws Exception {
        Random r = new Random(1);
        int src = Ipv4.toInt(CLIENT);
        int dst = Ipv4.toInt(SERVER);
        int sport = client.local().getPort();
        int dport = server.getPort();
        long up = lastUp.get();
        int seq = (int) (up >>> 32);
        int ack = (int) up;
        ByteBuffer b = ByteBuffer.allocate(1500);
        int injected = 0;

        // Random bytes, and random bytes behind a valid IPv4 header.
        for (int i = 0; i < 50; i++) {
            byte[] junk = new byte[r.nextInt(100)];
            r.nextBytes(junk);
            net.inject(ByteBuffer.wrap(junk));
            int n = Ipv4TcpWriter.write(b, 0, src, dst, 1, sport, dport, r.nextInt(), r.nextInt(), r.nextInt(256), 100,
                    ByteBuffer.wrap(junk));
            for (int k = Ipv4.MIN_HEADER + 4; k < n; k++) { // the ports kept, so the server's filter takes it
                b.put(k, (byte) r.nextInt());
            }
            Ipv4.fillHeaderChecksum(b, 0);
            inject(b, n);
            if (n >= Ipv4.MIN_HEADER + 4) {
                injected++; // shorter ones have no ports: no filter takes them
            }
        }
        // A good segment with its checksum wrong.
        int n = segment(b, src, dst, sport, dport, seq, ack, Tcp.ACK | Tcp.PSH, 100);
        Tcp.setChecksum(b, 20, Tcp.checksum(b, 20) ^ 0x5555);
        inject(b, n);
        // Truncated: TCP header cut, data offset past the end.
        n = segment(b, src, dst, sport, dport, seq, ack, Tcp.ACK, 0);
        b.putShort(2, (short) 30);
        Ipv4.fillHeaderChecksum(b, 0);
        inject(b, 30);
        n = segment(b, src, dst, sport, dport, seq, ack, Tcp.ACK, 10);
        Tcp.setHeaderLength(b, 20, 60);
        refill(b);
        inject(b, n);
        // Out of window (half the sequence space away), an ack of unsent data, a RST out of window.
        inject(b, segment(b, src, dst, sport, dport, seq + 0x7000_0000, ack, Tcp.ACK | Tcp.PSH, 100));
        inject(b, segment(b, src, dst, sport, dport, seq, ack + 0x4000_0000, Tcp.ACK | Tcp.PSH, 100));
        inject(b, segment(b, src, dst, sport, dport, seq + 0x7000_0000, ack, Tcp.RST, 0));
        // Nonsense flags: data without ACK, SYN+FIN.
        inject(b, segment(b, src, dst, sport, dport, seq, ack, Tcp.PSH, 20));
        inject(b, segment(b, src, dst, sport, dport, seq, ack, Tcp.SYN | Tcp.FIN, 0));
        // A fragment.
        n = segment(b, src, dst, sport, dport, seq, ack, Tcp.ACK | Tcp.PSH, 100);
        b.putShort(6, (short) 0x2000);
        Ipv4.fillHeaderChecksum(b, 0);
        inject(b, n);
        injected += 9;

        assertTrue(net.awaitIdle(Duration.ofSeconds(5)));
        net.assertNoReceiverFailures();
        long dropped = serverCtx.counters().entrySet().stream()
                .filter(e -> e.getKey().startsWith("tcp.drop_")).mapToLong(e -> e.getValue()).sum();
        assertEquals(injected, dropped, "every piece of garbage counted as dropped once: " + serverCtx.counters());
        assertEquals(0, serverCtx.counterValue("tcp.receiver_errors"), "no exception on the receive path");
        assertEquals(0, serverCtx.counterValue("tcp.rst_received"));
    }

    private void inject(ByteBuffer b, int n) {
        b.limit(n).position(0);
        net.inject(b);
        b.clear();
    }

    /** A well-formed segment with timestamps and {@code len} payload bytes; returns its length. */
    private static int segment(ByteBuffer b, int src, int dst, int sport, int dport, int seq, int ack, int flags, int len) {
        b.clear();
        int o = Ipv4TcpWriter.begin(b, 0, src, dst, 7, sport, dport, seq, ack, flags, 0xFFFF, 12);
        o = Tcp.writeAlignedTimestamps(b, o, 1, 1);
        for (int i = 0; i < len; i++) {
            b.put(o + i, (byte) i);
        }
        return Ipv4TcpWriter.finish(b, 0, len);
    }

    private static void refill(ByteBuffer b) {
        Ipv4.fillHeaderChecksum(b, 0);
    }

    static Inet4Address addr(String s) {
        try {
            return (Inet4Address) InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
