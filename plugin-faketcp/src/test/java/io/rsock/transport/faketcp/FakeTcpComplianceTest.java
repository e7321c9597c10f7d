package io.rsock.transport.faketcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.ConnInfo;
import io.rsock.api.ConnTransport;
import io.rsock.api.Role;
import io.rsock.api.codec.Ip;
import io.rsock.api.codec.IpAddress;
import io.rsock.api.codec.IpTcpWriter;
import io.rsock.api.codec.Ipv4;
import io.rsock.api.codec.Tcp;
import io.rsock.testkit.TestTransportContext;
import io.rsock.testkit.memory.InMemoryPacketNetwork;
import io.rsock.testkit.tck.TransportComplianceTest;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The transport compliance kit over an in-memory packet network: client 10.0.0.1, server 10.0.0.2
 * ({@link FakeTcpIpv6ComplianceTest} runs it all again over IPv6).
 */
class FakeTcpComplianceTest extends TransportComplianceTest {
    static final Inet4Address CLIENT = addr("10.0.0.1");
    static final Inet4Address SERVER = addr("10.0.0.2");
    private static final AtomicInteger PORTS = new AtomicInteger(20000);

    private InMemoryPacketNetwork net;
    /** The last client-to-server segment's seq and ack, packed, as seen on the wire. */
    private final AtomicLong lastUp = new AtomicLong();

    /** The client's address; the IPv6 run overrides it. */
    protected InetAddress client() {
        return CLIENT;
    }

    /** The server's address; the IPv6 run overrides it. */
    protected InetAddress server() {
        return SERVER;
    }

    @Override
    protected TestTransportContext newContext(Role role) {
        if (net == null) {
            net = closeAfterTest(new InMemoryPacketNetwork());
            IpAddress client = IpAddress.of(client());
            net.tap(p -> {
                if (Ip.protocol(p, 0) == 6 && client.isSourceOf(p, 0)) {
                    int t = Ip.headerLength(p, 0);
                    if (p.limit() < t + Tcp.MIN_HEADER) {
                        return; // injected garbage
                    }
                    lastUp.set((long) Tcp.sequence(p, t) << 32 | (Tcp.acknowledgment(p, t) & 0xFFFFFFFFL));
                }
            });
        }
        InetAddress own = role == Role.SERVER ? server() : client();
        return TestTransportContext.builder()
                .role(role)
                .packets(own instanceof Inet4Address four ? net.endpoint(four, 1500) : net.endpoint(null, (Inet6Address) own, 1500))
                .peerHint(role == Role.CLIENT ? server() : null)
                .build();
    }

    @Override
    protected ConnTransport newTransport(Role role) {
        return new FakeTcpTransport();
    }

    @Override
    protected InetSocketAddress serverAddress(int port) {
        return new InetSocketAddress(server(), port);
    }

    @Override
    protected int listenPort() {
        return PORTS.incrementAndGet();
    }

    @Override
    protected void injectGarbage(InetSocketAddress server, ConnInfo client) throws Exception {
        Random r = new Random(1);
        IpAddress src = IpAddress.of(client());
        IpAddress dst = IpAddress.of(server());
        int hl = Ip.headerLength(src);
        int sport = client.local().getPort();
        int dport = server.getPort();
        long up = lastUp.get();
        int seq = (int) (up >>> 32);
        int ack = (int) up;
        ByteBuffer b = ByteBuffer.allocate(1500);
        int injected = 0;

        // Random bytes, and random bytes behind a valid IP header.
        for (int i = 0; i < 50; i++) {
            byte[] junk = new byte[r.nextInt(100)];
            r.nextBytes(junk);
            net.inject(ByteBuffer.wrap(junk));
            int o = IpTcpWriter.begin(b, 0, src, dst, 1, sport, dport, r.nextInt(), r.nextInt(), r.nextInt(256), 100, 0);
            b.put(o, junk);
            int n = IpTcpWriter.finish(b, 0, junk.length);
            n = Math.min(n, hl + junk.length); // as long as the junk, behind the IP header
            for (int k = hl + 4; k < n; k++) { // the ports kept, so the server's filter takes it
                b.put(k, (byte) r.nextInt());
            }
            setTotalLength(b, n);
            inject(b, n);
            if (n >= hl + 4) {
                injected++; // shorter ones have no ports: no filter takes them
            }
        }
        // A good segment with its checksum wrong.
        int n = segment(b, src, dst, sport, dport, seq, ack, Tcp.ACK | Tcp.PSH, 100);
        Tcp.setChecksum(b, hl, Tcp.checksum(b, hl) ^ 0x5555);
        inject(b, n);
        // Truncated: TCP header cut, data offset past the end.
        segment(b, src, dst, sport, dport, seq, ack, Tcp.ACK, 0);
        setTotalLength(b, hl + 10);
        inject(b, hl + 10);
        n = segment(b, src, dst, sport, dport, seq, ack, Tcp.ACK, 10);
        Tcp.setHeaderLength(b, hl, 60);
        inject(b, n);
        // Out of window (half the sequence space away), an ack of unsent data, a RST out of window.
        inject(b, segment(b, src, dst, sport, dport, seq + 0x7000_0000, ack, Tcp.ACK | Tcp.PSH, 100));
        inject(b, segment(b, src, dst, sport, dport, seq, ack + 0x4000_0000, Tcp.ACK | Tcp.PSH, 100));
        inject(b, segment(b, src, dst, sport, dport, seq + 0x7000_0000, ack, Tcp.RST, 0));
        // Nonsense flags: data without ACK, SYN+FIN.
        inject(b, segment(b, src, dst, sport, dport, seq, ack, Tcp.PSH, 20));
        inject(b, segment(b, src, dst, sport, dport, seq, ack, Tcp.SYN | Tcp.FIN, 0));
        injected += 8;
        if (!src.isV6()) {
            // A fragment. (An IPv6 fragment's next header is not TCP: no TCP flow's filter takes it.)
            n = segment(b, src, dst, sport, dport, seq, ack, Tcp.ACK | Tcp.PSH, 100);
            b.putShort(6, (short) 0x2000);
            Ipv4.fillHeaderChecksum(b, 0);
            inject(b, n);
            injected++;
        }

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

    /** Makes the IP header say the packet is {@code total} bytes long (and IPv4's checksum right again). */
    private static void setTotalLength(ByteBuffer b, int total) {
        Ip.finish(b, 0, total - Ip.headerLength(b, 0));
    }

    /** A well-formed segment with timestamps and {@code len} payload bytes; returns its length. */
    private static int segment(ByteBuffer b, IpAddress src, IpAddress dst, int sport, int dport, int seq, int ack, int flags, int len) {
        b.clear();
        int o = IpTcpWriter.begin(b, 0, src, dst, 7, sport, dport, seq, ack, flags, 0xFFFF, 12);
        o = Tcp.writeAlignedTimestamps(b, o, 1, 1);
        for (int i = 0; i < len; i++) {
            b.put(o + i, (byte) i);
        }
        return IpTcpWriter.finish(b, 0, len);
    }

    static Inet4Address addr(String s) {
        try {
            return (Inet4Address) InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
