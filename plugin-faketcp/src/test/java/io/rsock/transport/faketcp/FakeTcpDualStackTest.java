package io.rsock.transport.faketcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.Conn;
import io.rsock.api.Role;
import io.rsock.api.codec.Ip;
import io.rsock.api.codec.IpAddress;
import io.rsock.api.codec.IpTcpWriter;
import io.rsock.api.codec.Ipv6;
import io.rsock.api.codec.Tcp;
import io.rsock.api.packet.PacketFilter;
import io.rsock.testkit.RecordingHandler;
import io.rsock.testkit.TestAddresses;
import io.rsock.testkit.TestTransportContext;
import io.rsock.testkit.memory.InMemoryPacketNetwork;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One server port for clients of both families, IPv6 segments as conntrack wants them, and frames
 * that follow the path MTU a router reported: on an in-memory network of dual-stack hosts.
 */
class FakeTcpDualStackTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int PORT = 10001;
    static final Inet4Address CLIENT4 = FakeTcpComplianceTest.addr("10.0.0.1");
    static final Inet4Address SERVER4 = FakeTcpComplianceTest.addr("10.0.0.2");
    static final Inet6Address CLIENT6 = (Inet6Address) TestAddresses.CLIENT6;
    static final Inet6Address SERVER6 = (Inet6Address) TestAddresses.SERVER6;

    private final InMemoryPacketNetwork net = new InMemoryPacketNetwork();
    private final List<ByteBuffer> wire = new CopyOnWriteArrayList<>();
    private final Map<Integer, ConntrackModel> tracked = new ConcurrentHashMap<>();
    private final List<Throwable> invalid = new CopyOnWriteArrayList<>();
    private final RecordingHandler serverHandler = RecordingHandler.echoing();
    private final TestTransportContext serverCtx = TestTransportContext.builder().role(Role.SERVER)
            .packets(net.endpoint(SERVER4, SERVER6, 1500)).build();
    private final TestTransportContext clientCtx = TestTransportContext.builder().role(Role.CLIENT)
            .packets(net.endpoint(CLIENT4, CLIENT6, 1500)).peerHint(SERVER6).build();
    private final FakeTcpTransport server = new FakeTcpTransport();
    private final FakeTcpTransport client = new FakeTcpTransport();

    FakeTcpDualStackTest() throws Exception {
        IpAddress client6 = IpAddress.of(CLIENT6);
        IpAddress client4 = IpAddress.of(CLIENT4);
        net.tap(p -> {
            ByteBuffer copy = ByteBuffer.allocate(p.remaining()).put(p.duplicate()).flip();
            wire.add(copy);
            int t = Ip.headerLength(copy, 0);
            boolean fromClient = client6.isSourceOf(copy, 0) || client4.isSourceOf(copy, 0);
            IpAddress to = IpAddress.destination(copy, 0);
            if (!fromClient && !to.equals(client6) && !to.equals(client4)) {
                return; // a stranger's packets: no conn of ours
            }
            int clientPort = fromClient ? Tcp.sourcePort(copy, t) : Tcp.destinationPort(copy, t);
            try {
                tracked.computeIfAbsent(clientPort, k -> new ConntrackModel()).observe(copy);
            } catch (AssertionError e) {
                invalid.add(e);
            }
        });
        server.start(serverCtx);
        client.start(clientCtx);
        server.listen(PORT, serverHandler);
    }

    @AfterEach
    void tearDown() {
        client.close();
        server.close();
        net.close();
        serverCtx.close();
        clientCtx.close();
        assertTrue(invalid.isEmpty(), invalid.size() + " segments conntrack would drop, first: " + invalid.stream().limit(3).toList());
        net.assertNoReceiverFailures();
    }

    private Conn establish(InetAddress server) throws Exception {
        RecordingHandler h = new RecordingHandler();
        Conn c = client.dial(new InetSocketAddress(server, PORT), h);
        assertSame(c, h.awaitOpened(WAIT));
        byte[] hello = {1, 2, 3, (byte) server.getAddress().length};
        assertTrue(c.send(ByteBuffer.wrap(hello)));
        assertArrayEquals(hello, h.awaitFrame(WAIT).bytes(), "echo");
        return c;
    }

    @Test
    void oneListenerTakesClientsOfBothFamiliesAndEachConnStaysInItsOwn() throws Exception {
        Conn six = establish(SERVER6);
        Conn four = establish(SERVER4);
        assertEquals(new InetSocketAddress(CLIENT6, six.info().local().getPort()), six.info().local(), "sent from the device's IPv6 address");
        assertEquals(CLIENT4, four.info().local().getAddress());
        List<InetAddress> peers = serverHandler.openedConns().stream().map(c -> c.info().remote().getAddress()).toList();
        assertEquals(List.of(CLIENT6, CLIENT4), peers);
        assertEquals(List.of(SERVER6, SERVER4), serverHandler.openedConns().stream().map(c -> c.info().local().getAddress()).toList(),
                "the server answers from the address the client sent to");
        assertEquals(List.of(PacketFilter.tcpTo(PORT)), serverCtx.firewall().installed(), "one rule, no peer: both families");
        assertEquals(List.of(PacketFilter.tcp(six.info().local().getPort(), SERVER6, PORT), PacketFilter.tcp(four.info().local().getPort(),
                SERVER4, PORT)), clientCtx.firewall().installed());
        long v6 = wire.stream().filter(p -> Ip.version(p, 0) == 6).count();
        assertTrue(v6 >= 4 && v6 < wire.size(), "both families on the wire: " + v6 + " of " + wire.size());
        for (ByteBuffer p : wire) {
            if (Ip.version(p, 0) == 6) {
                assertEquals(64, Ipv6.hopLimit(p, 0));
                assertEquals(0, io.rsock.api.codec.Checksum.transport(p, 0), "TCP checksum over the IPv6 pseudo-header");
            }
        }
        ByteBuffer syn6 = wire.stream().filter(p -> Ip.version(p, 0) == 6).findFirst().orElseThrow();
        assertEquals(1440, Tcp.mss(syn6, 40), "the MSS of a 1500-byte link less 40 + 20 bytes of headers");
        int label = Ipv6.flowLabel(syn6, 0);
        assertTrue(wire.stream().filter(p -> IpAddress.of(CLIENT6).isSourceOf(p, 0)).allMatch(p -> Ipv6.flowLabel(p, 0) == label),
                "one flow label for the conn, as Linux keeps it");
        assertEquals(1500 - 40 - 20 - 12, six.maxFrameSize());
        assertEquals(1500 - 20 - 20 - 12, four.maxFrameSize());
    }

    @Test
    void framesShrinkToThePathMtuARouterReported() throws Exception {
        Conn c = establish(SERVER6);
        int before = c.maxFrameSize();
        net.limitPath(SERVER6, Ipv6.MIN_MTU);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (c.maxFrameSize() == before && System.nanoTime() < deadline) {
            Thread.sleep(5); // the conn's timer follows the packet layer's path MTU
        }
        assertEquals(Ipv6.MIN_MTU - 40 - 20 - 12, c.maxFrameSize());
        byte[] big = new byte[c.maxFrameSize()];
        big[0] = 42;
        assertTrue(c.send(ByteBuffer.wrap(big)));
        RecordingHandler.Frame f = serverHandler.awaitFrame(WAIT);
        while (f.bytes().length != big.length) {
            f = serverHandler.awaitFrame(WAIT); // the hello first
        }
        assertEquals(42, f.bytes()[0]);
        assertEquals(0, net.tooBigCount(), "nothing was sent over the path's MTU");
        assertFalse(c.send(ByteBuffer.wrap(new byte[before])), "a frame of the old size no longer fits");
    }

    @Test
    void aStrangerOverIpv6GetsTheResetOfAClosedPortFromTheAddressItAsked() throws Exception {
        ByteBuffer syn = ByteBuffer.allocate(100);
        IpAddress stranger = IpAddress.of(TestAddresses.of("fd00:201:1::99"));
        int o = IpTcpWriter.begin(syn, 0, stranger, IpAddress.of(SERVER6), 0, 40000, PORT, 77, 0, Tcp.SYN, 64240, 0);
        int n = IpTcpWriter.finish(syn, 0, 0);
        net.inject(syn.limit(n).position(0));
        assertTrue(net.awaitIdle(WAIT));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (wire.stream().noneMatch(p -> (Tcp.flags(p, 40) & Tcp.RST) != 0) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        ByteBuffer rst = wire.stream().filter(p -> Ip.version(p, 0) == 6 && (Tcp.flags(p, 40) & Tcp.RST) != 0).findFirst().orElseThrow();
        assertEquals(IpAddress.of(SERVER6), IpAddress.source(rst, 0));
        assertEquals(stranger, IpAddress.destination(rst, 0));
        assertEquals(78, Tcp.acknowledgment(rst, 40), "acknowledges the SYN, as a closed port does");
        assertEquals(0, io.rsock.api.codec.Checksum.transport(rst, 0));
        assertEquals(0, serverHandler.openedConns().size());
    }
}
