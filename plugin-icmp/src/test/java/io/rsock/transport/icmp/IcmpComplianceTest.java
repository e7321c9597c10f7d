package io.rsock.transport.icmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.ConnInfo;
import io.rsock.api.ConnTransport;
import io.rsock.api.Role;
import io.rsock.api.codec.Icmp;
import io.rsock.api.codec.Ip;
import io.rsock.api.codec.IpAddress;
import io.rsock.api.codec.Ipv4;
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

/**
 * The transport compliance kit over an in-memory packet network: client 10.0.0.1, server 10.0.0.2
 * ({@link IcmpIpv6ComplianceTest} runs it all again in ICMPv6).
 */
class IcmpComplianceTest extends TransportComplianceTest {
    static final Inet4Address CLIENT = addr("10.0.0.1");
    static final Inet4Address SERVER = addr("10.0.0.2");
    private static final AtomicInteger PORTS = new AtomicInteger(20000);

    private InMemoryPacketNetwork net;
    /** The last client-to-server request's sequence number, as seen on the wire. */
    private final AtomicInteger lastSeq = new AtomicInteger(-1);

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
                int i = Ip.headerLength(p, 0);
                if (Icmp.isValid(p, 0) && client.isSourceOf(p, 0) && Icmp.type(p, i) == Icmp.echoRequest(client.version())) {
                    lastSeq.set(Icmp.sequence(p, i));
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
        return new IcmpTransport();
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
        assertTrue(net.awaitIdle(Duration.ofSeconds(5)), "the conn's own requests all handled before the duplicate below");
        int last = lastSeq.get(); // read before injecting: the tap sees injected packets too
        Random r = new Random(1);
        IpAddress src = IpAddress.of(client());
        IpAddress dst = IpAddress.of(server());
        boolean v6 = src.isV6();
        int hl = Ip.headerLength(src);
        int id = client.local().getPort();
        ByteBuffer b = ByteBuffer.allocate(1500);
        int injected = 0;

        // Random bytes behind a valid IP header of protocol ICMP: a wrong ICMP checksum (or too short).
        for (int i = 0; i < 50; i++) {
            byte[] junk = new byte[8 + r.nextInt(100)];
            r.nextBytes(junk);
            int n = Icmp.writeEcho(b, 0, src, dst, 1, true, id, 1, ByteBuffer.wrap(junk));
            for (int k = hl; k < n; k++) {
                b.put(k, (byte) r.nextInt());
            }
            if (Icmp.verifyPacketChecksum(b.limit(n), 0)) {
                b.put(hl + 2, (byte) (b.get(hl + 2) ^ 1));
            }
            inject(b, n);
            injected++;
        }
        // A request of the conn with its checksum wrong.
        int n = echo(b, src, dst, true, id, last + 1, 100);
        Icmp.setChecksum(b, hl, Icmp.checksum(b, hl) ^ 0x5555);
        inject(b, n);
        // Truncated: ICMP header cut short.
        echo(b, src, dst, true, id, last + 1, 0);
        Ip.finish(b, 0, 6);
        inject(b, hl + 6);
        injected += 2;
        if (!v6) {
            // A fragment. (An IPv6 fragment's next header is not ICMPv6: no echo capture takes it.)
            n = echo(b, src, dst, true, id, last + 1, 100);
            b.putShort(6, (short) 0x2000);
            Ipv4.fillHeaderChecksum(b, 0);
            inject(b, n);
            injected++;
        }
        // Replies and errors are not for the server.
        inject(b, echo(b, src, dst, false, id, last, 40));
        n = echo(b, src, dst, true, id, 0, 40);
        b.put(hl, (byte) (v6 ? Icmp.DESTINATION_UNREACHABLE_V6 : Icmp.DESTINATION_UNREACHABLE));
        Icmp.setChecksum(b, hl, 0);
        Icmp.setChecksum(b, hl, v6 ? io.rsock.api.codec.Checksum.transport(b, 0) : io.rsock.api.codec.Checksum.compute(b, hl, n - hl));
        inject(b, n);
        // A duplicate of the conn's last request: answered at most once, never delivered twice.
        inject(b, echo(b, src, dst, true, id, last, 40));
        // Empty requests of an unknown flow: an ordinary ping's, left to the kernel.
        inject(b, echo(b, src, dst, true, id ^ 0x5A5A, 7, 0));
        injected += 4;

        assertTrue(net.awaitIdle(Duration.ofSeconds(5)));
        net.assertNoReceiverFailures();
        long dropped = serverCtx.counters().entrySet().stream()
                .filter(e -> e.getKey().startsWith("icmp.drop_")).mapToLong(e -> e.getValue()).sum();
        assertEquals(injected, dropped, "every piece of garbage counted as dropped once: " + serverCtx.counters());
        assertEquals(0, serverCtx.counterValue("icmp.receiver_errors"), "no exception on the receive path");
    }

    private void inject(ByteBuffer b, int n) {
        b.limit(n).position(0);
        net.inject(b);
        b.clear();
    }

    /** A well-formed echo request (or reply) with {@code len} payload bytes; returns its length. */
    private static int echo(ByteBuffer b, IpAddress src, IpAddress dst, boolean request, int id, int seq, int len) {
        b.clear();
        int d = Icmp.beginEcho(b, 0, src, dst, 7, request, id, seq & 0xFFFF);
        for (int i = 0; i < len; i++) {
            b.put(d + i, (byte) i);
        }
        return Icmp.finishEcho(b, 0, len);
    }

    static Inet4Address addr(String s) {
        try {
            return (Inet4Address) InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
