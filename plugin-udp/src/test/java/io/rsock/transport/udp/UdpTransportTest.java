package io.rsock.transport.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.CloseReason;
import io.rsock.api.Conn;
import io.rsock.api.ConnHandler;
import io.rsock.api.Role;
import io.rsock.api.TransportException;
import io.rsock.testkit.Await;
import io.rsock.testkit.FreePorts;
import io.rsock.testkit.RecordingHandler;
import io.rsock.testkit.RecordingHandler.Frame;
import io.rsock.testkit.TestTransportContext;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the TCK does not check: the UDP transport's own behaviour and options. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UdpTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final FreePorts ports = new FreePorts();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private UdpTransport started(TestTransportContext ctx) throws TransportException {
        toClose.add(ctx);
        UdpTransport t = new UdpTransport();
        t.start(ctx);
        toClose.add(t::close);
        return t;
    }

    private UdpTransport started(Role role, String... options) throws TransportException {
        TestTransportContext.Builder b = TestTransportContext.builder().role(role);
        for (int i = 0; i < options.length; i += 2) {
            b.option(options[i], options[i + 1]);
        }
        return started(b.build());
    }

    private static InetSocketAddress local(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static Predicate<Frame> is(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return f -> Arrays.equals(b, f.bytes());
    }

    /** Sends {@code s} every 200 ms until {@code h} receives it; returns that frame. */
    private static Frame sendUntilReceived(Conn c, String s, RecordingHandler h) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            c.send(text(s));
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            while (System.nanoTime() - until < 0) {
                Frame f;
                try {
                    f = h.awaitFrame(Duration.ofNanos(Math.max(1, until - System.nanoTime())));
                } catch (AssertionError timedOut) {
                    break;
                }
                if (is(s).test(f)) {
                    return f;
                }
            }
        }
        throw new AssertionError("'" + s + "' never arrived");
    }

    @Test
    void describesItselfAsTheHostExpects() {
        UdpTransport t = new UdpTransport();
        assertEquals("udp", t.type());
        assertFalse(t.optIn(), "udp is part of --type all");
        assertEquals(28, t.overhead(), "IPv4 20 + UDP 8");
    }

    @Test
    void anIdleServerConnTimesOutAndANewDatagramOpensANewOne() throws Exception {
        TestTransportContext serverCtx = TestTransportContext.builder().role(Role.SERVER)
                .option("udp.idle", "300ms").build();
        UdpTransport server = started(serverCtx);
        UdpTransport client = started(Role.CLIENT);
        RecordingHandler sh = new RecordingHandler();
        int port = ports.next();
        server.listen(port, sh);
        RecordingHandler ch = new RecordingHandler();
        Conn c = client.dial(local(port), ch);
        ch.awaitOpened(WAIT);

        Conn first = sendUntilReceived(c, "one", sh).conn();
        RecordingHandler.Closure closure = sh.awaitClosed(WAIT);
        assertSame(first, closure.conn());
        assertEquals(CloseReason.TIMEOUT, closure.reason());
        assertFalse(first.isOpen());
        assertEquals(1, serverCtx.counterValue("udp.conns_expired"));
        assertTrue(c.isOpen(), "the client's conn does not expire: the host's heartbeats judge it");

        Conn second = sendUntilReceived(c, "two", sh).conn();
        assertNotSame(first, second, "the remote's next datagram makes a new conn");
        assertEquals(2, sh.openedConns().size());
    }

    @Test
    void aConnKeptBusyDoesNotExpire() throws Exception {
        UdpTransport server = started(Role.SERVER, "udp.idle", "300ms");
        UdpTransport client = started(Role.CLIENT);
        RecordingHandler sh = new RecordingHandler();
        int port = ports.next();
        server.listen(port, sh);
        RecordingHandler ch = new RecordingHandler();
        Conn c = client.dial(local(port), ch);
        ch.awaitOpened(WAIT);
        Conn s = sendUntilReceived(c, "start", sh).conn();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1200);
        while (System.nanoTime() - end < 0) {
            c.send(text("keepalive"));
            Thread.sleep(50);
        }
        assertTrue(s.isOpen(), "a conn receiving every 50 ms outlives a 300 ms idle limit");
        assertEquals(0, sh.closeCount(s));
    }

    @Test
    void icmpPortUnreachableResetsTheClientConn() throws Exception {
        UdpTransport client = started(Role.CLIENT);
        RecordingHandler h = new RecordingHandler();
        Conn c = client.dial(local(ports.next()), h);
        assertSame(c, h.awaitOpened(WAIT), "UDP has no handshake: open at once");
        Await.assertUntil(() -> {
            c.send(text("anyone?"));
            return h.closeCount(c) > 0;
        }, WAIT, "the conn closing on ICMP port unreachable");
        assertEquals(CloseReason.RESET, h.closures().get(0).reason());
        assertFalse(c.isOpen());
        assertFalse(c.send(text("again")));
        client.close();
        assertEquals(1, h.closeCount(c), "closed() once");
    }

    @Test
    void aListenerTakesAtMostMaxConnsRemotes() throws Exception {
        TestTransportContext serverCtx = TestTransportContext.builder().role(Role.SERVER)
                .option("udp.max-conns", "2").build();
        UdpTransport server = started(serverCtx);
        UdpTransport client = started(Role.CLIENT);
        RecordingHandler sh = RecordingHandler.echoing();
        int port = ports.next();
        server.listen(port, sh);
        List<Conn> conns = new ArrayList<>();
        List<RecordingHandler> handlers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RecordingHandler h = new RecordingHandler();
            Conn c = client.dial(local(port), h);
            h.awaitOpened(WAIT);
            conns.add(c);
            handlers.add(h);
        }
        Conn s0 = sendUntilReceived(conns.get(0), "a", sh).conn();
        sendUntilReceived(conns.get(1), "b", sh);
        Await.assertUntil(() -> {
            conns.get(2).send(text("c"));
            return serverCtx.counterValue("udp.conns_rejected") >= 3;
        }, WAIT, "the third remote's datagrams being rejected");
        assertEquals(2, sh.openedConns().size(), "two conns, no third");
        assertTrue(sh.drainFrames().stream().noneMatch(is("c")), "nothing of the third remote reached the host");

        s0.close();
        assertEquals(CloseReason.LOCAL, sh.awaitClosed(WAIT).reason());
        sendUntilReceived(conns.get(2), "c again", sh);
        assertEquals(3, sh.openedConns().size(), "a freed place takes the next remote");
    }

    @Test
    void aFirstDatagramTheHostDoesNotAdmitTakesNoConn() throws Exception {
        TestTransportContext serverCtx = TestTransportContext.builder().role(Role.SERVER)
                .option("udp.max-conns", "1").build();
        UdpTransport server = started(serverCtx);
        AtomicInteger asked = new AtomicInteger();
        RecordingHandler sh = new RecordingHandler() {
            @Override
            public boolean admits(ByteBuffer first) {
                asked.incrementAndGet();
                return first.remaining() > 0 && first.get(first.position()) == 'f'; // "frames" start with f
            }
        };
        int port = ports.next();
        server.listen(port, sh);
        try (DatagramChannel stranger = DatagramChannel.open()) {
            for (int i = 0; i < 50; i++) {
                stranger.send(ByteBuffer.allocate(0), local(port));
                stranger.send(text("junk"), local(port));
            }
            Await.assertUntil(() -> asked.get() >= 100, WAIT, "the host asked about every datagram");
        }
        assertEquals(List.of(), sh.openedConns(), "no conn for empty or frameless datagrams");
        assertEquals(0, serverCtx.counterValue("udp.conns_rejected"), "the one slot stayed free");
        UdpTransport client = started(Role.CLIENT);
        RecordingHandler h = new RecordingHandler();
        Conn c = client.dial(local(port), h);
        h.awaitOpened(WAIT);
        sendUntilReceived(c, "frame", sh);
        assertEquals(1, sh.openedConns().size());
        // Once a conn exists, what it receives is the host's to judge: no more asking.
        int before = asked.get();
        sendUntilReceived(c, "xyz", sh);
        assertEquals(before, asked.get());
    }

    @Test
    void fiftyRemotesEachGetOnlyTheirOwnEchoes() throws Exception {
        UdpTransport server = started(Role.SERVER);
        UdpTransport client = started(Role.CLIENT);
        RecordingHandler sh = RecordingHandler.echoing();
        int port = ports.next();
        server.listen(port, sh);
        int n = 50;
        List<Conn> conns = new ArrayList<>();
        List<RecordingHandler> handlers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RecordingHandler h = new RecordingHandler();
            conns.add(client.dial(local(port), h));
            handlers.add(h);
        }
        for (int i = 0; i < n; i++) {
            assertSame(conns.get(i), handlers.get(i).awaitOpened(WAIT));
        }
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < n; i++) {
                conns.get(i).send(text("remote-" + i + "-round-" + round));
            }
        }
        for (int i = 0; i < n; i++) {
            RecordingHandler h = handlers.get(i);
            int me = i;
            Frame got = awaitFrame(h, f -> true, conns.get(i), "remote-" + i + "-late");
            assertTrue(new String(got.bytes(), StandardCharsets.US_ASCII).startsWith("remote-" + me + "-"));
        }
        Await.until(() -> false, Duration.ofMillis(200)); // let stragglers in before the final check
        for (int i = 0; i < n; i++) {
            for (Frame f : handlers.get(i).drainFrames()) {
                String s = new String(f.bytes(), StandardCharsets.US_ASCII);
                assertTrue(s.startsWith("remote-" + i + "-"), "remote " + i + " got " + s);
                assertSame(conns.get(i), f.conn());
            }
        }
        assertEquals(n, sh.openedConns().size(), "one server conn per remote");
    }

    /** Waits for a frame {@code which} accepts on {@code h}, sending {@code resend} on {@code c} now and then. */
    private static Frame awaitFrame(RecordingHandler h, Predicate<Frame> which, Conn c, String resend) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            try {
                Frame f = h.awaitFrame(Duration.ofMillis(300));
                if (which.test(f)) {
                    return f;
                }
            } catch (AssertionError timedOut) {
                c.send(text(resend));
            }
        }
        throw new AssertionError("no frame");
    }

    @Test
    void theMtuOptionSizesFrames() throws Exception {
        TestTransportContext ctx = TestTransportContext.builder().option("mtu", "1000").build();
        UdpTransport client = started(ctx);
        UdpTransport server = started(Role.SERVER);
        RecordingHandler sh = new RecordingHandler();
        int port = ports.next();
        server.listen(port, sh);
        RecordingHandler h = new RecordingHandler();
        Conn c = client.dial(local(port), h);
        h.awaitOpened(WAIT);
        assertEquals(972, c.maxFrameSize(), "mtu - 28");
        assertFalse(c.send(ByteBuffer.allocate(973)));
        assertEquals(1, ctx.counterValue("udp.send_too_large"));
        ByteBuffer max = ByteBuffer.allocate(972);
        assertTrue(c.send(max));
        assertEquals(0, max.position(), "send leaves the caller's buffer as it was");
    }

    @Test
    void badOptionsAndBusyPortsSayWhatIsWrong() throws Exception {
        for (String[] bad : new String[][] {{"udp.max-conns", "0"},
                {"udp.idle", "soon"}, {"udp.idle", "0s"}, {"udp.bind", "no.such.host.invalid"}}) {
            TestTransportContext ctx = TestTransportContext.builder().option(bad[0], bad[1]).build();
            toClose.add(ctx);
            TransportException e = assertThrows(TransportException.class, () -> new UdpTransport().start(ctx));
            assertTrue(e.getMessage().contains(bad[0]), e.getMessage());
        }
        UdpTransport server = started(Role.SERVER);
        try (DatagramSocket taken = new DatagramSocket(0)) {
            TransportException e = assertThrows(TransportException.class,
                    () -> server.listen(taken.getLocalPort(), new RecordingHandler()));
            assertTrue(e.getMessage().contains(String.valueOf(taken.getLocalPort())), e.getMessage());
        }
        int port = ports.next();
        server.listen(port, new RecordingHandler());
        assertThrows(TransportException.class, () -> server.listen(port, new RecordingHandler()), "twice on one port");
    }

    @Test
    void aThrowingHandlerDoesNotStopTheTransport() throws Exception {
        TestTransportContext serverCtx = TestTransportContext.of(Role.SERVER);
        UdpTransport server = started(serverCtx);
        UdpTransport client = started(Role.CLIENT);
        RecordingHandler record = RecordingHandler.echoing();
        ConnHandler throwing = new ConnHandler() {
            @Override
            public void opened(Conn conn) {
                record.opened(conn);
            }

            @Override
            public void received(Conn conn, ByteBuffer frame) {
                record.received(conn, frame);
                throw new IllegalStateException("a broken host");
            }

            @Override
            public void closed(Conn conn, CloseReason why) {
                record.closed(conn, why);
            }
        };
        int port = ports.next();
        server.listen(port, throwing);
        RecordingHandler h = new RecordingHandler();
        Conn c = client.dial(local(port), h);
        h.awaitOpened(WAIT);
        sendUntilReceived(c, "first", record);
        sendUntilReceived(c, "second", record);
        Await.assertUntil(() -> serverCtx.counterValue("udp.handler_errors") >= 2, WAIT, "handler errors counted");
        awaitFrame(h, is("second"), c, "second");
    }

    @Test
    void closeFromAnotherThreadWhileReceivingReportsOnce() throws Exception {
        UdpTransport server = started(Role.SERVER);
        UdpTransport client = started(Role.CLIENT);
        RecordingHandler sh = RecordingHandler.echoing();
        int port = ports.next();
        server.listen(port, sh);
        RecordingHandler h = new RecordingHandler();
        Conn c = client.dial(local(port), h);
        h.awaitOpened(WAIT);
        sendUntilReceived(c, "hi", sh);
        Thread spam = new Thread(() -> {
            while (c.send(text("spam"))) {
                Thread.onSpinWait();
            }
        });
        spam.start();
        Thread.sleep(50);
        c.close();
        spam.join(WAIT.toMillis());
        assertEquals(CloseReason.LOCAL, h.awaitClosed(WAIT).reason());
        client.close();
        assertEquals(1, h.closeCount(c));
    }

    @Test
    void closeWithoutStartAndTwiceIsHarmless() {
        UdpTransport t = new UdpTransport();
        t.close();
        t.close();
    }

    @Test
    void oneListeningPortTakesClientsOfBothFamiliesWithFramesSizedForEach() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.net.NetworkInterface.getByInetAddress(v6) != null, "no IPv6 on loopback");
        UdpTransport server = started(Role.SERVER);
        UdpTransport client = started(Role.CLIENT);
        int port = ports.next();
        RecordingHandler serverSide = RecordingHandler.echoing();
        server.listen(port, serverSide);
        RecordingHandler h6 = new RecordingHandler();
        RecordingHandler h4 = new RecordingHandler();
        Conn six = client.dial(new InetSocketAddress(v6, port), h6);
        Conn four = client.dial(local(port), h4);
        sendUntilReceived(six, "over IPv6", h6);
        sendUntilReceived(four, "over IPv4", h4);
        assertEquals(1500 - 48, six.maxFrameSize(), "IPv6 40 + UDP 8");
        assertEquals(1500 - 28, four.maxFrameSize());
        List<InetAddress> peers = serverSide.openedConns().stream().map(c -> c.info().remote().getAddress()).toList();
        assertTrue(peers.contains(v6) && peers.contains(InetAddress.getLoopbackAddress()),
                "one socket, a client of each family, each seen as its own: " + peers);
        for (Conn c : serverSide.openedConns()) {
            assertEquals(c.info().remote().getAddress() instanceof java.net.Inet6Address ? 1452 : 1472, c.maxFrameSize());
        }
    }
}
