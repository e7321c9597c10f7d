package io.rsock.transport.faketcp;

import static io.rsock.transport.faketcp.FakeTcpComplianceTest.CLIENT;
import static io.rsock.transport.faketcp.FakeTcpComplianceTest.SERVER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.CloseReason;
import io.rsock.api.Conn;
import io.rsock.api.HandshakeTokens;
import io.rsock.api.Role;
import io.rsock.api.codec.Ipv4;
import io.rsock.api.codec.Ipv4TcpWriter;
import io.rsock.api.codec.Tcp;
import io.rsock.api.packet.PacketFilter;
import io.rsock.testkit.Await;
import io.rsock.testkit.RecordingHandler;
import io.rsock.testkit.TestTransportContext;
import io.rsock.testkit.memory.InMemoryPacketNetwork;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The transport glued to an in-memory network: rules, wire format, closes, timers on a manual clock. */
class FakeTcpTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int PORT = 10001;

    private final InMemoryPacketNetwork net = new InMemoryPacketNetwork();
    private final AtomicLong clock = new AtomicLong(TimeUnit.SECONDS.toNanos(1000));
    private final List<ByteBuffer> wire = new CopyOnWriteArrayList<>();
    private final Map<Integer, ConntrackModel> tracked = new ConcurrentHashMap<>();
    private final List<Throwable> invalid = new CopyOnWriteArrayList<>();
    private TestTransportContext serverCtx;
    private TestTransportContext clientCtx;
    private FakeTcpTransport server;
    private FakeTcpTransport client;
    private final RecordingHandler serverHandler = RecordingHandler.echoing();

    private void start(Map<String, String> options) throws Exception {
        start(options, HandshakeTokens.open(), HandshakeTokens.open());
    }

    private void start(Map<String, String> options, HandshakeTokens serverTokens, HandshakeTokens clientTokens)
            throws Exception {
        net.tap(p -> {
            ByteBuffer copy = ByteBuffer.allocate(p.remaining()).put(p.duplicate()).flip();
            wire.add(copy);
            int t = Ipv4.headerLength(copy, 0);
            // The tap sees packets before the middlebox: toward the NAT of worksBehindANatWithLoss, ports are +1000.
            int clientPort = Ipv4.source(copy, 0) == Ipv4.toInt(CLIENT) ? Tcp.sourcePort(copy, t)
                    : Ipv4.destination(copy, 0) == Ipv4.toInt(CLIENT) ? Tcp.destinationPort(copy, t) : Tcp.destinationPort(copy, t) - 1000;
            try {
                tracked.computeIfAbsent(clientPort, k -> new ConntrackModel()).observe(copy);
            } catch (AssertionError e) {
                invalid.add(e);
            }
        });
        serverCtx = TestTransportContext.builder().role(Role.SERVER).packets(net.endpoint(SERVER, 1500))
                .nanoClock(clock::get).options(options).handshakeTokens(serverTokens).build();
        clientCtx = TestTransportContext.builder().role(Role.CLIENT).packets(net.endpoint(CLIENT, 1500))
                .nanoClock(clock::get).options(options).handshakeTokens(clientTokens).build();
        server = new FakeTcpTransport();
        client = new FakeTcpTransport();
        server.start(serverCtx);
        client.start(clientCtx);
    }

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        net.close();
        if (serverCtx != null) {
            serverCtx.close();
            clientCtx.close();
        }
        assertTrue(invalid.isEmpty(), invalid.size() + " segments conntrack would drop, first: " + invalid.stream().limit(3).toList());
        net.assertNoReceiverFailures();
    }

    private record Link(Conn client, RecordingHandler handler, Conn server) {
    }

    private Link establish(int port) throws Exception {
        RecordingHandler h = new RecordingHandler();
        Conn c = client.dial(new InetSocketAddress(SERVER, port), h);
        assertSame(c, h.awaitOpened(WAIT));
        byte[] hello = {1, 2, 3, 4};
        assertTrue(c.send(ByteBuffer.wrap(hello)));
        RecordingHandler.Frame f = serverHandler.awaitFrame(WAIT);
        assertArrayEquals(hello, f.bytes());
        assertArrayEquals(hello, h.awaitFrame(WAIT).bytes(), "echo");
        return new Link(c, h, f.conn());
    }

    @Test
    void firewallRulesCoverListenPortsAndDialsAndAreRemoved() throws Exception {
        start(Map.of());
        server.listen(PORT, serverHandler);
        assertEquals(List.of(PacketFilter.tcpTo(PORT)), serverCtx.firewall().installed());
        Link link = establish(PORT);
        int localPort = link.client.info().local().getPort();
        assertTrue(localPort >= FakeTcpTransport.EPHEMERAL_LOW && localPort <= FakeTcpTransport.EPHEMERAL_HIGH);
        assertEquals(List.of(PacketFilter.tcp(localPort, SERVER, PORT)), clientCtx.firewall().installed());
        link.client.close();
        clientCtx.firewall().awaitAllRemoved(WAIT);
        server.close();
        serverCtx.firewall().assertAllRemoved();
    }

    @Test
    void everySegmentOnTheWireLooksLikeLinuxTcp() throws Exception {
        start(Map.of());
        server.listen(PORT, serverHandler);
        Link link = establish(PORT);
        for (int i = 0; i < 200; i++) {
            // A full window refuses a frame (counted): wait for the peer's ACKs rather than race them.
            int size = 1 + i * 7;
            Await.assertUntil(() -> link.client.send(ByteBuffer.allocate(size)), WAIT, "room in the window for frame " + i);
        }
        Await.assertUntil(() -> link.handler.receivedCount() >= 201, WAIT, "echoes");
        link.client.close();
        assertEquals(CloseReason.FINISHED, serverHandler.awaitClosed(WAIT).reason());
        assertTrue(net.awaitIdle(WAIT));
        for (ByteBuffer p : wire) {
            int flags = Wire.flags(p);
            if ((flags & Tcp.RST) != 0) {
                continue;
            }
            assertTrue(Tcp.findTimestamps(p, 20) >= 0, "timestamps on every segment, flags " + flags);
            if ((flags & Tcp.SYN) != 0) {
                assertEquals(1460, Tcp.mss(p, 20));
                assertEquals(7, Tcp.windowScale(p, 20));
                assertTrue(Tcp.sackPermitted(p, 20));
            } else if (Wire.payloadLength(p) > 0) {
                assertEquals(Tcp.ACK | Tcp.PSH, flags);
            }
        }
        assertTrue(wire.size() > 400);
    }

    @Test
    void rstFromThePeerClosesWithReset() throws Exception {
        start(Map.of());
        server.listen(PORT, serverHandler);
        Link link = establish(PORT);
        link.server.close(); // FIN to the client
        assertEquals(CloseReason.FINISHED, link.handler.awaitClosed(WAIT).reason());
        assertEquals(CloseReason.LOCAL, serverHandler.awaitClosed(WAIT).reason());

        Link second = establish(PORT);
        assertTrue(net.awaitIdle(WAIT));
        ByteBuffer last = lastFrom(SERVER);
        ByteBuffer rst = ByteBuffer.allocate(40);
        Ipv4TcpWriter.begin(rst, 0, Ipv4.toInt(SERVER), Ipv4.toInt(CLIENT), 1, PORT, second.client.info().local().getPort(),
                Wire.seq(last) + Wire.payloadLength(last), 0, Tcp.RST, 0, 0);
        Ipv4TcpWriter.finish(rst, 0, 0);
        net.inject(rst);
        RecordingHandler.Closure c = second.handler.awaitClosed(WAIT);
        assertEquals(CloseReason.RESET, c.reason());
        assertFalse(second.client.isOpen());
        assertEquals(1, clientCtx.counterValue("tcp.rst_received"));
    }

    @Test
    void segmentsOfUnknownFlowsGetRst() throws Exception {
        start(Map.of());
        server.listen(PORT, serverHandler);
        ByteBuffer p = ByteBuffer.allocate(40);
        Ipv4TcpWriter.begin(p, 0, Ipv4.toInt(CLIENT), Ipv4.toInt(SERVER), 1, 50000, PORT, 7, 12345, Tcp.ACK, 100, 0);
        Ipv4TcpWriter.finish(p, 0, 0);
        wire.clear();
        tracked.clear();
        net.tap(q -> wire.add(ByteBuffer.allocate(q.remaining()).put(q.duplicate()).flip()));
        net.inject(p);
        Await.assertUntil(() -> wire.size() >= 2, WAIT, "a RST back");
        ByteBuffer rst = wire.get(1);
        assertEquals(Tcp.RST, Wire.flags(rst));
        assertEquals(12345, Wire.seq(rst), "seq = the segment's ack");
        assertEquals(1, serverCtx.counterValue("tcp.drop_no_conn"));
    }

    @Test
    void keepaliveAndIdleTimeoutFollowTheClock() throws Exception {
        start(Map.of("faketcp.keepalive", "5s", "tcp.idle-timeout", "30s"));
        server.listen(PORT, serverHandler);
        Link link = establish(PORT);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(5));
        // The client still owes the echo a (delayed) ACK: that one goes first and counts as an ACK.
        Await.assertUntil(() -> clientCtx.counterValue("tcp.acks_sent") >= 1
                && serverCtx.counterValue("tcp.keepalives_sent") >= 1, WAIT, "keepalives both ways");
        for (int i = 0; i < 3; i++) {
            clock.addAndGet(TimeUnit.SECONDS.toNanos(5));
            long k = clientCtx.counterValue("tcp.keepalives_sent");
            Await.assertUntil(() -> clientCtx.counterValue("tcp.keepalives_sent") > k, WAIT, "keepalive " + i);
        }
        assertTrue(link.client.isOpen(), "keepalives keep the conn alive");
        // The server goes silent (its capture dies): the client times out.
        server.close();
        assertEquals(CloseReason.RESET, link.handler.awaitClosed(WAIT).reason(), "the server's RST on shutdown");
    }

    @Test
    void aSilentPeerTimesOut() throws Exception {
        start(Map.of("tcp.idle-timeout", "30s"));
        server.listen(PORT, serverHandler);
        Link link = establish(PORT);
        assertTrue(net.awaitIdle(WAIT));
        int server = Ipv4.toInt(SERVER);
        net.middlebox(p -> Ipv4.source(p, 0) == server ? null : p); // nothing comes back any more
        for (int i = 0; i < 6; i++) {
            clock.addAndGet(TimeUnit.SECONDS.toNanos(5));
            Thread.sleep(30);
        }
        RecordingHandler.Closure c = link.handler.awaitClosed(WAIT);
        assertEquals(CloseReason.TIMEOUT, c.reason());
        assertEquals(1, clientCtx.counterValue("tcp.idle_timeouts"));
        clientCtx.firewall().awaitAllRemoved(WAIT);
    }

    @Test
    void worksBehindANatWithLoss() throws Exception {
        start(Map.of());
        server.listen(PORT, serverHandler);
        int inside = Ipv4.toInt(CLIENT);
        int outside = 0x0A000009; // 10.0.0.9, the NAT's public address
        net.middlebox(p -> {
            int t = Ipv4.headerLength(p, 0);
            if (Ipv4.source(p, 0) == inside) {
                rewrite(p, 12, outside, t, Tcp.sourcePort(p, t) + 1000, 0);
            } else if (Ipv4.destination(p, 0) == outside) {
                rewrite(p, 16, inside, t, Tcp.destinationPort(p, t) - 1000, 2);
            }
            return p;
        });
        Link link = establish(PORT);
        assertEquals(link.client.info().local().getPort() + 1000, link.server.info().remote().getPort(),
                "the server sees the NAT's port");
        assertEquals("10.0.0.9", link.server.info().remote().getAddress().getHostAddress());
        net.dropProbability(0.02);
        int before = link.handler.receivedCount();
        for (int i = 0; i < 2000; i++) {
            link.client.send(ByteBuffer.allocate(100 + i % 900));
            if (i % 50 == 49) {
                Thread.sleep(2);
            }
        }
        Await.assertUntil(() -> link.handler.receivedCount() - before > 2000 * 0.9, WAIT, "echoes through the NAT");
        assertTrue(link.client.isOpen() && link.server.isOpen());
        assertEquals(0, serverCtx.counterValue("tcp.drop_out_of_window") + serverCtx.counterValue("tcp.drop_bad_ack")
                + clientCtx.counterValue("tcp.drop_out_of_window") + clientCtx.counterValue("tcp.drop_bad_ack"));
    }

    /** A NAT's rewrite of one address and one port, checksums adjusted incrementally (RFC 1624). */
    private static void rewrite(ByteBuffer p, int addrAt, int addr, int t, int port, int portAt) {
        int oldAddr = p.getInt(addrAt);
        int oldPort = p.getShort(t + portAt) & 0xFFFF;
        p.putInt(addrAt, addr);
        p.putShort(t + portAt, (short) port);
        p.putShort(10, (short) io.rsock.api.codec.Checksum.adjust32(Ipv4.headerChecksum(p, 0), oldAddr, addr));
        int c = io.rsock.api.codec.Checksum.adjust32(Tcp.checksum(p, t), oldAddr, addr);
        Tcp.setChecksum(p, t, io.rsock.api.codec.Checksum.adjust(c, oldPort, port));
    }

    @Test
    void handshakeTimesOutAfterTheRetries() throws Exception {
        start(Map.of());
        RecordingHandler h = new RecordingHandler();
        Conn c = client.dial(new InetSocketAddress(SERVER, 4444), h);
        for (int i = 1; i <= 3; i++) {
            clock.addAndGet(TimeUnit.SECONDS.toNanos(1L << (i - 1)));
            int want = i;
            Await.assertUntil(() -> clientCtx.counterValue("tcp.syn_retries") >= want, WAIT, "SYN retry " + i);
        }
        clock.addAndGet(TimeUnit.SECONDS.toNanos(8));
        RecordingHandler.Closure closure = h.awaitClosed(WAIT);
        assertSame(c, closure.conn());
        assertEquals(CloseReason.TIMEOUT, closure.reason());
        assertEquals(1, clientCtx.counterValue("tcp.handshake_timeouts"));
        clientCtx.firewall().awaitAllRemoved(WAIT);
    }

    @Test
    void halfOpenConnsAreBoundedAndExpire() throws Exception {
        start(Map.of("tcp.half-open-limit", "3", "tcp.half-open-timeout", "5s"));
        server.listen(PORT, serverHandler);
        for (int i = 0; i < 10; i++) {
            ByteBuffer syn = ByteBuffer.allocate(60);
            int o = Ipv4TcpWriter.begin(syn, 0, Ipv4.toInt(CLIENT), Ipv4.toInt(SERVER), i, 50000 + i, PORT, i * 1000, 0,
                    Tcp.SYN, 64240, Tcp.LINUX_SYN_OPTIONS_LENGTH);
            Tcp.writeLinuxSynOptions(syn, o, 1460, 1, 0, 7);
            Ipv4TcpWriter.finish(syn, 0, 0);
            net.inject(syn);
        }
        assertTrue(net.awaitIdle(WAIT));
        assertEquals(7, serverCtx.counterValue("tcp.syn_dropped"));
        assertEquals(3, server.halfOpenCount());
        clock.addAndGet(TimeUnit.SECONDS.toNanos(5));
        Await.assertUntil(() -> server.halfOpenCount() == 0, WAIT, "half-open conns expire");
        assertEquals(3, serverCtx.counterValue("tcp.half_open_timeouts"));
        assertTrue(serverHandler.openedConns().isEmpty(), "the host never heard of them");
        assertEquals(0, serverHandler.closures().size());
        // Room again for a real client.
        establish(PORT);
    }

    /** A SYN from {@code src}:{@code port} with Linux's options, ISN {@code isn} and timestamp value {@code ts}. */
    private static ByteBuffer syn(java.net.Inet4Address src, int port, int isn, int ts) {
        ByteBuffer syn = ByteBuffer.allocate(60);
        int o = Ipv4TcpWriter.begin(syn, 0, Ipv4.toInt(src), Ipv4.toInt(SERVER), 0, port, PORT, isn, 0, Tcp.SYN, 64240,
                Tcp.LINUX_SYN_OPTIONS_LENGTH);
        Tcp.writeLinuxSynOptions(syn, o, 1460, ts, 0, 7);
        return syn.limit(Ipv4TcpWriter.finish(syn, 0, 0));
    }

    /** From now on the tap only records: refused handshakes are not flows the conntrack model follows. */
    private void recordOnly() {
        wire.clear();
        tracked.clear();
        net.tap(q -> wire.add(ByteBuffer.allocate(q.remaining()).put(q.duplicate()).flip()));
    }

    private List<ByteBuffer> fromServer() {
        return wire.stream().filter(p -> Ipv4.source(p, 0) == Ipv4.toInt(SERVER)).toList();
    }

    @Test
    void aSynWithoutAGoodTokenGetsAClosedPortsRstAndTakesNoState() throws Exception {
        start(Map.of(), new SecretTokens(42), new SecretTokens(42));
        server.listen(PORT, serverHandler);
        recordOnly();
        for (int i = 0; i < 10; i++) {
            net.inject(syn(CLIENT, 40000 + i, 1000 * i, i));
        }
        // A SYN without timestamps carries no token at all.
        ByteBuffer bare = ByteBuffer.allocate(44);
        int o = Ipv4TcpWriter.begin(bare, 0, Ipv4.toInt(CLIENT), Ipv4.toInt(SERVER), 0, 39999, PORT, 77, 0, Tcp.SYN, 1024, 4);
        Tcp.writeMss(bare, o, 1460);
        net.inject(bare.limit(Ipv4TcpWriter.finish(bare, 0, 0)));
        assertTrue(net.awaitIdle(WAIT));
        assertEquals(0, server.halfOpenCount());
        assertEquals(11, serverCtx.counterValue("tcp.syn_stranger"));
        List<ByteBuffer> answers = fromServer();
        assertEquals(11, answers.size());
        for (ByteBuffer rst : answers) {
            // Linux's closed port: RST-ACK, seq 0, ack = ISN + 1, window 0, no options, IP id 0, DF.
            assertEquals(Tcp.RST | Tcp.ACK, Wire.flags(rst));
            assertEquals(0, Wire.seq(rst));
            int port = Tcp.destinationPort(rst, 20);
            assertEquals(port == 39999 ? 78 : 1000 * (port - 40000) + 1, Wire.ack(rst));
            assertEquals(0, Tcp.window(rst, 20));
            assertEquals(20, Tcp.headerLength(rst, 20));
            assertEquals(40, Ipv4.totalLength(rst, 0));
            assertEquals(0, rst.getShort(4));
            assertEquals(Ipv4.DONT_FRAGMENT, Ipv4.flagsAndFragment(rst, 0));
        }
        assertTrue(serverHandler.openedConns().isEmpty());
        establish(PORT);
    }

    @Test
    void aRecordedSynReplayedFromElsewhereGetsTheClosedPortsAnswer() throws Exception {
        start(Map.of(), new SecretTokens(42), new SecretTokens(42));
        server.listen(PORT, serverHandler);
        establish(PORT);
        ByteBuffer recorded = wire.stream().filter(p -> Wire.flags(p) == Tcp.SYN).findFirst().orElseThrow();
        ByteBuffer replay = syn(FakeTcpComplianceTest.addr("10.0.0.9"), 45678, Wire.seq(recorded), Wire.tsVal(recorded));
        recordOnly();
        net.inject(replay);
        assertTrue(net.awaitIdle(WAIT));
        assertEquals(1, serverCtx.counterValue("tcp.syn_stranger"));
        List<ByteBuffer> answers = fromServer();
        assertEquals(1, answers.size());
        assertEquals(Tcp.RST | Tcp.ACK, Wire.flags(answers.get(0)));
        assertEquals(0, server.halfOpenCount());
    }

    @Test
    void aClientWithAnotherSecretIsRefusedLikeAtAClosedPort() throws Exception {
        start(Map.of(), new SecretTokens(42), new SecretTokens(43));
        server.listen(PORT, serverHandler);
        recordOnly();
        RecordingHandler h = new RecordingHandler();
        Conn c = client.dial(new InetSocketAddress(SERVER, PORT), h);
        RecordingHandler.Closure closure = h.awaitClosed(WAIT);
        assertSame(c, closure.conn());
        assertEquals(CloseReason.RESET, closure.reason());
        assertEquals(1, serverCtx.counterValue("tcp.syn_stranger"));
    }

    @Test
    void strangerDropAnswersNothingAtAll() throws Exception {
        start(Map.of("tcp.stranger", "drop"), new SecretTokens(42), new SecretTokens(42));
        server.listen(PORT, serverHandler);
        recordOnly();
        net.inject(syn(CLIENT, 40000, 5, 5));
        ByteBuffer ack = ByteBuffer.allocate(40);
        Ipv4TcpWriter.begin(ack, 0, Ipv4.toInt(CLIENT), Ipv4.toInt(SERVER), 1, 50000, PORT, 7, 12345, Tcp.ACK, 100, 0);
        net.inject(ack.limit(Ipv4TcpWriter.finish(ack, 0, 0)));
        assertTrue(net.awaitIdle(WAIT));
        assertEquals(List.of(), fromServer());
        assertEquals(1, serverCtx.counterValue("tcp.syn_stranger"));
        assertEquals(1, serverCtx.counterValue("tcp.drop_no_conn"));
        establish(PORT);
    }

    @Test
    void aBadStrangerOptionIsRefusedByName() {
        TestTransportContext ctx = TestTransportContext.builder().role(Role.SERVER).packets(net.endpoint(SERVER, 1500))
                .option("tcp.stranger", "silent").build();
        try (ctx) {
            io.rsock.api.TransportException e = org.junit.jupiter.api.Assertions.assertThrows(io.rsock.api.TransportException.class,
                    () -> new FakeTcpTransport().start(ctx));
            assertTrue(e.getMessage().startsWith("tcp.stranger: 'silent'"), e.getMessage());
        }
    }

    private ByteBuffer lastFrom(java.net.Inet4Address from) {
        for (int i = wire.size() - 1; i >= 0; i--) {
            if (Ipv4.source(wire.get(i), 0) == Ipv4.toInt(from)) {
                return wire.get(i);
            }
        }
        throw new AssertionError("nothing from " + from);
    }
}
