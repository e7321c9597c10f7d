package io.rsock.transport.icmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.CloseReason;
import io.rsock.api.Conn;
import io.rsock.api.ConnHandler;
import io.rsock.api.Role;
import io.rsock.api.codec.Icmp;
import io.rsock.api.codec.Ip;
import io.rsock.api.codec.IpAddress;
import io.rsock.api.codec.Ipv4;
import io.rsock.api.packet.PacketFilter;
import io.rsock.api.packet.PacketIO;
import io.rsock.testkit.Await;
import io.rsock.testkit.RecordingHandler;
import io.rsock.testkit.TestTransportContext;
import io.rsock.testkit.memory.InMemoryPacketNetwork;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transport glued to an in-memory network whose middlebox plays the server's kernel (it answers
 * every echo request no installed firewall rule drops, as Linux does, with DF clear) and a conntrack
 * judge (every reply the transport sends matches a request's identifier and sequence number, at most
 * once, within 30 s); timers run on a manual clock. {@link IcmpIpv6TransportTest} runs it all in
 * ICMPv6.
 */
class IcmpTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final InMemoryPacketNetwork net = new InMemoryPacketNetwork();
    private final AtomicLong clock = new AtomicLong(TimeUnit.SECONDS.toNanos(1000));
    private final Map<String, Long> requests = new ConcurrentHashMap<>(); // (src, id, seq) -> sent at, ms
    private final Set<String> answered = ConcurrentHashMap.newKeySet();
    private final List<String> invalid = new CopyOnWriteArrayList<>();
    private final AtomicInteger kernelReplies = new AtomicInteger();
    private final AtomicInteger pingRepliesSeen = new AtomicInteger();
    private TestTransportContext serverCtx;
    private TestTransportContext clientCtx;
    private IcmpTransport server;
    private IcmpTransport client;
    private final Host host = new Host();

    /** What the host does with a server conn: frames starting "AUTH" authenticate it and are answered "RE:..."; anything else first closes it. */
    static final class Host implements ConnHandler {
        final List<Conn> opened = new CopyOnWriteArrayList<>();
        final Set<Conn> authenticated = ConcurrentHashMap.newKeySet();
        final Map<Conn, CloseReason> closed = new ConcurrentHashMap<>();
        final AtomicInteger frames = new AtomicInteger();

        @Override
        public void opened(Conn conn) {
            opened.add(conn);
        }

        @Override
        public void received(Conn conn, ByteBuffer frame) {
            byte[] b = new byte[frame.remaining()];
            frame.get(b);
            frames.incrementAndGet();
            if (new String(b, 0, Math.min(4, b.length), StandardCharsets.US_ASCII).equals("AUTH")) {
                authenticated.add(conn);
                byte[] reply = new byte[b.length + 3];
                System.arraycopy("RE:".getBytes(StandardCharsets.US_ASCII), 0, reply, 0, 3);
                System.arraycopy(b, 0, reply, 3, b.length);
                conn.send(ByteBuffer.wrap(reply));
            } else if (!authenticated.contains(conn)) {
                conn.close();
            }
        }

        @Override
        public void closed(Conn conn, CloseReason why) {
            closed.put(conn, why);
        }
    }

    /** The client's address; the IPv6 run overrides these three. */
    InetAddress client() {
        return IcmpComplianceTest.CLIENT;
    }

    InetAddress server() {
        return IcmpComplianceTest.SERVER;
    }

    /** Someone's ordinary ping comes from here. */
    InetAddress pinger() {
        return IcmpComplianceTest.addr("10.0.0.3");
    }

    private PacketIO endpoint(InetAddress a) {
        return a instanceof Inet4Address four ? net.endpoint(four, 1500) : net.endpoint(null, (Inet6Address) a, 1500);
    }

    private PacketFilter echoes(int id, InetAddress from) {
        return new PacketFilter(from instanceof Inet4Address ? PacketFilter.ICMP : PacketFilter.ICMPV6, id, from, 0);
    }

    @BeforeEach
    void start() throws Exception {
        serverCtx = TestTransportContext.builder().role(Role.SERVER).packets(endpoint(server())).nanoClock(clock::get).build();
        clientCtx = TestTransportContext.builder().role(Role.CLIENT).packets(endpoint(client())).nanoClock(clock::get)
                .peerHint(server()).build();
        net.middlebox(this::kernelAndConntrack);
        server = new IcmpTransport();
        client = new IcmpTransport();
        server.start(serverCtx);
        client.start(clientCtx);
    }

    @AfterEach
    void tearDown() {
        client.close();
        server.close();
        net.close();
        serverCtx.close();
        clientCtx.close();
        assertTrue(invalid.isEmpty(), invalid.size() + " replies conntrack would refuse, first: " + invalid.stream().limit(3).toList());
        net.assertNoReceiverFailures();
        serverCtx.firewall().assertAllRemoved();
    }

    private long nowMs() {
        return clock.get() / 1_000_000;
    }

    private static String key(IpAddress peer, int id, int seq) {
        return peer + "/" + id + "/" + seq;
    }

    /** The server's kernel (answers echo requests no rule drops) and a conntrack judge of the transport's replies. */
    private ByteBuffer kernelAndConntrack(ByteBuffer p) {
        if (!Icmp.isValid(p, 0)) {
            return p;
        }
        int version = Ip.version(p, 0);
        int i = Ip.headerLength(p, 0);
        int type = Icmp.type(p, i);
        int id = Icmp.identifier(p, i);
        int seq = Icmp.sequence(p, i);
        IpAddress server = IpAddress.of(server());
        if (type == Icmp.echoRequest(version) && IpAddress.destination(p, 0).equals(server)) {
            IpAddress src = IpAddress.source(p, 0);
            requests.put(key(src, id, seq), nowMs());
            if (!serverCtx.firewall().installed().contains(echoes(id, src.toInetAddress()))) {
                ByteBuffer r = ByteBuffer.allocate(p.limit());
                ByteBuffer data = p.duplicate().position(i + Icmp.HEADER);
                r.limit(Icmp.writeEcho(r, 0, server, src, 0, false, id, seq, data));
                if (version == 4) {
                    r.putShort(6, (short) 0); // the kernel's reply leaves DF clear
                    Ipv4.fillHeaderChecksum(r, 0);
                }
                kernelReplies.incrementAndGet();
                net.inject(r); // the kernel's reply is not the transport's: not judged below
            }
        } else if (type == Icmp.echoReply(version) && server.isSourceOf(p, 0)) {
            IpAddress dst = IpAddress.destination(p, 0);
            Long sent = requests.get(key(dst, id, seq));
            if (sent == null) {
                invalid.add("reply id " + id + " seq " + seq + " to no request");
            } else if (nowMs() - sent >= 30_000) {
                invalid.add("reply id " + id + " seq " + seq + " " + (nowMs() - sent) + " ms after its request");
            } else if (!answered.add(key(dst, id, seq))) {
                invalid.add("request id " + id + " seq " + seq + " answered twice");
            } else if (version == 4 && (Ipv4.flagsAndFragment(p, 0) & Ipv4.DONT_FRAGMENT) == 0) {
                invalid.add("reply without DF");
            }
        }
        return p;
    }

    private record Link(Conn client, RecordingHandler handler, Conn server) {
    }

    private Link authenticate() throws Exception {
        server.listen(10001, host);
        RecordingHandler h = new RecordingHandler();
        Conn c = client.dial(new InetSocketAddress(server(), 10001), h);
        assertTrue(c == h.awaitOpened(WAIT));
        byte[] hello = "AUTH hello".getBytes(StandardCharsets.US_ASCII);
        assertTrue(c.send(ByteBuffer.wrap(hello)));
        assertEquals("RE:AUTH hello", new String(h.awaitFrame(WAIT).bytes(), StandardCharsets.US_ASCII));
        Await.assertUntil(() -> serverCtx.firewall().installed().size() == 1, WAIT, "the conn's rule installed");
        return new Link(c, h, host.opened.get(0));
    }

    @Test
    void listenOnEveryPortTakesConnsOnceAndInstallsNoRuleBeforeAuthentication() throws Exception {
        server.listen(10001, host);
        server.listen(10002, host);
        server.listen(10003, host);
        assertEquals(List.of(), serverCtx.firewall().installed(), "no rule before a conn authenticates: ordinary pings are the kernel's");
        Link link = authenticate();
        int id = link.client.info().local().getPort();
        assertEquals(id, link.client.info().remote().getPort(), "for ICMP, the port of both ends is the identifier");
        assertEquals(List.of(echoes(id, client())), serverCtx.firewall().installed(),
                "one rule: this client's echo requests of this identifier");
        assertEquals(List.of(), clientCtx.firewall().installed(), "the client needs none");
        assertEquals(1, host.opened.size());
        assertEquals(new InetSocketAddress(client(), id), link.server.info().remote());
    }

    @Test
    void theKernelsEchoesBeforeTheRuleAreDroppedAndNoneAfter() throws Exception {
        Link link = authenticate();
        Await.assertUntil(() -> link.client instanceof IcmpClientConn cc && cc.ledger().outstanding() >= 60, WAIT,
                "credit requests out");
        net.awaitIdle(WAIT);
        int before = kernelReplies.get();
        assertTrue(before >= 1, "the kernel answered at least the first request, which came before any rule could: " + before);
        for (int i = 0; i < 200; i++) {
            link.client.send(ByteBuffer.wrap(("AUTH frame " + i).getBytes(StandardCharsets.US_ASCII)));
        }
        Await.assertUntil(() -> link.handler.receivedCount() >= 201, WAIT, "200 answers back");
        net.awaitIdle(WAIT);
        assertEquals(before, kernelReplies.get(), "the rule keeps the kernel out from then on");
        assertEquals(before, clientCtx.counterValue("icmp.drop_kernel_echo"), "every kernel echo dropped at the client");
        for (RecordingHandler.Frame f : link.handler.drainFrames()) {
            assertTrue(new String(f.bytes(), StandardCharsets.US_ASCII).startsWith("RE:"), "only the server's frames reach the host");
        }
    }

    @Test
    void ordinaryPingsStayTheKernelsAndOpenAtMostOneConn() throws Exception {
        authenticate();
        PacketIO pinger = endpoint(pinger());
        pinger.register(new PacketFilter(echoes(0, pinger()).protocol(), 0, (InetAddress) null, 0), p -> pingRepliesSeen.incrementAndGet());
        ByteBuffer b = ByteBuffer.allocate(200);
        for (int seq = 1; seq <= 5; seq++) {
            b.clear();
            int d = Icmp.beginEcho(b, 0, IpAddress.of(pinger()), IpAddress.of(server()), seq, true, 4242, seq);
            for (int i = 0; i < 56; i++) {
                b.put(d + i, (byte) (0x10 + i));
            }
            b.limit(Icmp.finishEcho(b, 0, 56)).position(0);
            assertTrue(pinger.send(b));
            net.awaitIdle(WAIT);
        }
        Await.assertUntil(() -> pingRepliesSeen.get() == 5, WAIT, "the kernel answered every ping");
        assertEquals(2, host.opened.size(), "the first ping opened a conn, which the host closed; the others opened none");
        assertEquals(CloseReason.LOCAL, host.closed.get(host.opened.get(1)));
        assertEquals(4, serverCtx.counterValue("icmp.drop_foreign"));
        assertEquals(1, serverCtx.firewall().installed().size(), "still only the tunnel's rule");
    }

    @Test
    void creditKeepsTheServerSuppliedForADownstreamBurst() throws Exception {
        Link link = authenticate();
        IcmpServerConn sc = (IcmpServerConn) link.server;
        Await.assertUntil(() -> sc.ledger().outstanding() >= IcmpOptions.defaults().credit() - 1, WAIT,
                "the server holds the client's credit");
        int burst = IcmpOptions.defaults().credit() + IcmpOptions.defaults().queue();
        for (int i = 0; i < burst; i++) {
            assertTrue(link.server.send(ByteBuffer.wrap(("down " + i).getBytes(StandardCharsets.US_ASCII))), "send " + i);
        }
        Await.assertUntil(() -> link.handler.receivedCount() >= burst + 1, WAIT, "the burst down: credit's worth at once, the rest as credit returns");
        assertEquals(0, serverCtx.counterValue("icmp.send_no_request"), "credit plus queue hold a whole burst, however fast credit returns");
        assertFalse(link.server.send(ByteBuffer.allocate(0)), "an empty frame is refused: the server never sends an empty reply");
    }

    @Test
    void oldRequestsExpireKeepalivesFlowAndAnAbandonedConnTimesOut() throws Exception {
        Link link = authenticate();
        IcmpServerConn sc = (IcmpServerConn) link.server;
        Await.assertUntil(() -> sc.ledger().outstanding() >= 63, WAIT, "credit held");
        net.awaitIdle(WAIT);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(11));
        Await.assertUntil(() -> clientCtx.counterValue("icmp.keepalives_sent") >= 1, WAIT, "a keepalive after 10 s of silence");
        clock.addAndGet(TimeUnit.SECONDS.toNanos(10));
        Await.assertUntil(() -> clientCtx.counterValue("icmp.requests_expired") >= 60, WAIT, "the client forgets 20 s old requests");
        net.awaitIdle(WAIT);
        // A frame now must answer a fresh request, not one of 21 s ago (the judge checks the age).
        assertTrue(link.server.send(ByteBuffer.wrap("fresh".getBytes(StandardCharsets.US_ASCII))));
        assertEquals("fresh", new String(link.handler.awaitFrame(WAIT).bytes(), StandardCharsets.US_ASCII));
        link.client.close();
        net.awaitIdle(WAIT); // the client's last requests in, before time jumps past the idle timeout
        clock.addAndGet(TimeUnit.SECONDS.toNanos(61));
        Await.assertUntil(() -> host.closed.get(link.server) == CloseReason.TIMEOUT, WAIT, "the server conn times out");
        Await.assertUntil(() -> serverCtx.firewall().installed().isEmpty(), WAIT, "and its rule goes");
        assertEquals(1, serverCtx.counterValue("icmp.idle_timeouts"));
    }

    @Test
    void framesTooLargeOrAfterCloseAreRefused() throws Exception {
        Link link = authenticate();
        int max = 1500 - Icmp.echoHeaders(IpAddress.of(client()));
        assertEquals(max, link.client.maxFrameSize());
        assertEquals(28, client.overhead());
        assertFalse(link.client.send(ByteBuffer.allocate(max + 1)));
        byte[] big = new byte[max - 3];
        Arrays.fill(big, (byte) 'A');
        System.arraycopy("AUTH".getBytes(StandardCharsets.US_ASCII), 0, big, 0, 4);
        assertTrue(link.client.send(ByteBuffer.wrap(big)));
        byte[] back = link.handler.awaitFrame(WAIT).bytes();
        assertEquals(max, back.length, "RE: + the rest: the largest frame, down");
        link.client.close();
        assertFalse(link.client.send(ByteBuffer.wrap(big)));
    }

    @Test
    void framesShrinkToThePathMtuARouterReported() throws Exception {
        Link link = authenticate();
        int headers = Icmp.echoHeaders(IpAddress.of(client()));
        net.limitPath(server(), 1280);
        net.limitPath(client(), 1280);
        Await.assertUntil(() -> link.client.maxFrameSize() == 1280 - headers && link.server.maxFrameSize() == 1280 - headers, WAIT,
                "both ends' timers follow the path MTU");
        byte[] big = new byte[1280 - headers - 3];
        System.arraycopy("AUTH".getBytes(StandardCharsets.US_ASCII), 0, big, 0, 4);
        assertTrue(link.client.send(ByteBuffer.wrap(big)));
        assertEquals(1280 - headers, link.handler.awaitFrame(WAIT).bytes().length, "the largest frame of the path, both ways");
        assertEquals(0, net.tooBigCount());
    }
}
