package io.rsock.core.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rsock.api.Role;
import io.rsock.core.config.FrameProtection;
import io.rsock.core.config.PortList;
import io.rsock.core.config.TunnelSettings;
import io.rsock.core.pool.CountingConn;
import io.rsock.core.frame.FrameCodec;
import io.rsock.core.frame.FrameKey;
import io.rsock.core.frame.FrameType;
import io.rsock.core.frame.Hello;
import io.rsock.core.stats.Counters;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import io.rsock.testkit.RecordingHandler;
import io.rsock.testkit.TestTransportContext;
import io.rsock.testkit.memory.LoopbackTransport;
import org.junit.jupiter.api.Test;

/**
 * The host end to end without a network: app socket -> TunnelClient -> in-memory transport ->
 * TunnelServer -> a UDP echo on loopback -> back. Checks sessions map replies to the right app flow.
 */
class TunnelEndToEndTest {
    private static final PortList PORTS = PortList.parse("20001-20004");
    private final LoopbackTransport.Network net = new LoopbackTransport.Network();
    private final FrameRecorder recorder = new FrameRecorder(PORTS.asSet());
    /** Closes the transports and contexts the test made, in order. */
    private final List<Runnable> closers = new ArrayList<>();
    private LoopbackTransport serverTransport;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Counters clientCounters = new Counters();
    private final Counters serverCounters = new Counters();
    private DatagramSocket echo;
    private Thread echoThread;
    private TunnelServer server;
    private TunnelClient client;
    private Duration idle = Duration.ZERO;
    private int randomPorts;
    /** Datagrams that reached the target (-t). */
    private final AtomicInteger echoed = new AtomicInteger();
    /** Added to the server's monotonic clock: lets a test jump past session expiry without waiting. */
    private final AtomicLong serverClockSkew = new AtomicLong();

    @BeforeEach
    void setUp() throws Exception {
        net.tap(recorder);
        echo = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        echoThread = new Thread(() -> {
            byte[] buf = new byte[65536];
            while (!echo.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    echo.receive(p);
                    echoed.incrementAndGet();
                    echo.send(p);
                } catch (Exception e) {
                    return;
                }
            }
        });
        echoThread.start();
    }

    private TunnelSettings settings(Role role, String secret) {
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort());
        return new TunnelSettings(role, role == Role.SERVER ? target : null,
                role == Role.CLIENT ? List.of(InetAddress.getLoopbackAddress()) : List.of(),
                role == Role.CLIENT ? new InetSocketAddress(InetAddress.getLoopbackAddress(), 0) : null,
                null, null, null, PORTS, Duration.ofSeconds(30), secret, List.of(LoopbackTransport.TYPE),
                Path.of("/tmp"), false, 10, io.rsock.core.config.Limits.withMaxSessions(1000), Duration.ofMillis(100), false, null,
                Map.of(), idle, randomPorts, Duration.ofSeconds(8), io.rsock.core.config.FrameProtection.NONE);
    }

    private void start(String serverSecret, String clientSecret) throws Exception {
        startServer(serverSecret);
        client = new TunnelClient(settings(Role.CLIENT, clientSecret), List.of(transport(Role.CLIENT)), scheduler,
                clientCounters, System::nanoTime);
        client.start();
        waitFor(() -> client.pool().openCount() == 4, "4 conns open");
    }

    private void startServer(String secret) throws Exception {
        if (serverTransport != null) {
            serverTransport.close(); // a restart: the old run's listeners go with it
        }
        serverTransport = transport(Role.SERVER);
        server = new TunnelServer(settings(Role.SERVER, secret), List.of(serverTransport), scheduler, serverCounters,
                () -> System.nanoTime() + serverClockSkew.get());
        server.start();
    }

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        closers.forEach(Runnable::run);
        echo.close();
        scheduler.shutdownNow();
        net.close();
    }

    /** A started in-memory transport on {@link #net}, closed after the test. */
    private LoopbackTransport transport(Role role) throws Exception {
        TestTransportContext ctx = TestTransportContext.of(role);
        LoopbackTransport t = new LoopbackTransport(net);
        t.start(ctx);
        closers.add(t::close);
        closers.add(ctx::close);
        return t;
    }

    @Test
    void manyFlowsEachGetOnlyTheirOwnReplies() throws Exception {
        start("k", "k");
        int flows = 20;
        DatagramSocket[] apps = new DatagramSocket[flows];
        Random rnd = new Random(5);
        for (int i = 0; i < flows; i++) {
            apps[i] = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            apps[i].setSoTimeout(2000);
        }
        try {
            for (int round = 0; round < 10; round++) {
                for (int i = 0; i < flows; i++) {
                    byte[] payload = new byte[1 + rnd.nextInt(1200)];
                    rnd.nextBytes(payload);
                    payload[0] = (byte) i;
                    apps[i].send(new DatagramPacket(payload, payload.length, client.localAddress()));
                    DatagramPacket reply = new DatagramPacket(new byte[2000], 2000);
                    apps[i].receive(reply);
                    byte[] got = java.util.Arrays.copyOf(reply.getData(), reply.getLength());
                    assertArrayEquals(payload, got, "flow " + i + " round " + round);
                }
            }
            assertEquals(flows, client.sessionCount());
            assertEquals(flows, server.sessionCount());
            assertEquals(0, serverCounters.get("frame.bad_mac").get());
        } finally {
            for (DatagramSocket s : apps) {
                s.close();
            }
        }
    }

    @Test
    void datagramsLargerThanAFrameAreFragmentedAndReassembled() throws Exception {
        start("k", "k");
        try (DatagramSocket app = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            app.setSoTimeout(2000);
            byte[] payload = new byte[4000];
            new Random(9).nextBytes(payload);
            app.send(new DatagramPacket(payload, payload.length, client.localAddress()));
            DatagramPacket reply = new DatagramPacket(new byte[8000], 8000);
            app.receive(reply);
            assertArrayEquals(payload, java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
        }
    }

    @Test
    void aWrongSecretGetsNothingAndItsConnsAreClosed() throws Exception {
        server = new TunnelServer(settings(Role.SERVER, "right"), List.of(transport(Role.SERVER)), scheduler,
                serverCounters, System::nanoTime);
        server.start();
        client = new TunnelClient(settings(Role.CLIENT, "wrong"), List.of(transport(Role.CLIENT)), scheduler,
                clientCounters, System::nanoTime);
        client.start();
        waitFor(() -> serverCounters.get("conn.unauthenticated_closed").get() >= 4, "server closes unauthenticated conns");
        try (DatagramSocket app = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            app.setSoTimeout(300);
            app.send(new DatagramPacket(new byte[10], 10, client.localAddress()));
            DatagramPacket reply = new DatagramPacket(new byte[100], 100);
            boolean answered = true;
            try {
                app.receive(reply);
            } catch (java.net.SocketTimeoutException e) {
                answered = false;
            }
            assertTrue(!answered, "a client with the wrong secret got an answer");
        }
        assertEquals(0, server.sessionCount());
        assertTrue(serverCounters.get("frame.bad_mac").get() > 0);
        waitFor(() -> clientCounters.get("server.silent_warnings").get() > 0, "the client warns the server is silent");
    }

    @Test
    void connsThatDieAreRedialledAndTrafficResumes() throws Exception {
        start("k", "k");
        for (PoolSlotView v : PoolSlotView.of(client)) {
            v.resetConn(net);
        }
        waitFor(() -> client.pool().openCount() == 4, "conns redialled");
        assertEchoed(new byte[] {1, 2, 3});
    }

    /**
     * A datagram from a new app flow comes back whole, as an app that sends again when no answer
     * comes would see it (a reply may still take a conn the server has not yet heard is dead).
     */
    private void assertEchoed(byte[] datagram) throws Exception {
        try (DatagramSocket app = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            DatagramPacket reply = echoWithin(app, datagram, 10);
            assertArrayEquals(datagram, java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
        }
    }

    /** Sends {@code datagram} through the tunnel every 200 ms until a reply comes, for at most {@code seconds}. */
    private DatagramPacket echoWithin(DatagramSocket app, byte[] datagram, int seconds) throws Exception {
        app.setSoTimeout(200);
        DatagramPacket reply = new DatagramPacket(new byte[100], 100);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            app.send(new DatagramPacket(datagram, datagram.length, client.localAddress()));
            try {
                app.receive(reply);
                return reply;
            } catch (java.net.SocketTimeoutException e) {
                assertTrue(System.nanoTime() < deadline, () -> "no reply; client " + clientCounters.snapshot() + " server "
                        + serverCounters.snapshot());
            }
        }
    }

    @Test
    void anIdleClientClosesItsConnsAndTheFirstDatagramAfterIsNotLost() throws Exception {
        idle = Duration.ofSeconds(1);
        start("k", "k");
        waitFor(() -> client.pool().openCount() == 0, "every conn closed after --idle");
        Thread.sleep(500);
        assertEquals(0, client.pool().openCount(), "an idle client redialled");
        try (DatagramSocket app = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            app.setSoTimeout(3000);
            byte[] first = {7, 7, 7};
            app.send(new DatagramPacket(first, first.length, client.localAddress()));
            DatagramPacket reply = new DatagramPacket(new byte[100], 100);
            try {
                app.receive(reply);
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("no reply; client " + clientCounters.snapshot() + " server " + serverCounters.snapshot()
                        + " open " + client.pool().openCount());
            }
            assertArrayEquals(first, java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
        }
        assertEquals(1, clientCounters.get("client.idle_parked").get());
        assertEquals(1, clientCounters.get("client.idle_woken").get());
    }

    @Test
    void theDatagramsThatWakeAnIdleClientLeaveInTheOrderTheAppSentThem() throws Exception {
        idle = Duration.ofSeconds(1);
        start("k", "k");
        waitFor(() -> client.pool().openCount() == 0, "every conn closed after --idle");
        try (DatagramSocket app = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            app.setSoTimeout(3000);
            // The first waits for a conn and the server's HELLO_ACK; those sent meanwhile must not overtake it.
            for (byte i = 0; i < 20; i++) {
                app.send(new DatagramPacket(new byte[] {i}, 1, client.localAddress()));
            }
            for (byte i = 0; i < 20; i++) {
                DatagramPacket reply = new DatagramPacket(new byte[100], 100);
                app.receive(reply);
                assertEquals(i, reply.getData()[0], "reply " + i + " out of order");
            }
        }
        assertEquals(1, clientCounters.get("client.idle_woken").get());
    }

    @Test
    void aConnResetAtOneEndIsLeftByTheOtherOnTheWordOfAnotherConn() throws Exception {
        start("k", "k");
        // Once a heartbeat has been answered on every conn, the server knows them all by id.
        waitFor(() -> PoolSlotView.of(client).stream().allMatch(PoolSlotView::answered), "every conn answered");
        List<PoolSlotView> slots = PoolSlotView.of(client);

        net.resetOneEnd(slots.get(0).conn()); // an RST at the client's end only
        waitFor(() -> serverCounters.get("conn.gone_received").get() == 1, "the server told the conn is gone");
        assertTrue(clientCounters.get("conn.gone_sent").get() >= 1);

        net.resetOneEnd(net.peerOf(slots.get(1).conn())); // an RST at the server's end only
        waitFor(() -> clientCounters.get("conn.gone_received").get() == 1, "the client told the conn is gone");
        assertTrue(serverCounters.get("conn.gone_sent").get() >= 1);
        waitFor(() -> client.pool().openCount() == 4 && server.connCount() == 4, "both conns redialled");
        assertEchoed(new byte[] {4, 5, 6});
    }

    @Test
    void connsResetAllAtOnceAreNamedOnTheFirstConnThatOpensAgain() throws Exception {
        start("k", "k");
        waitFor(() -> PoolSlotView.of(client).stream().allMatch(PoolSlotView::answered), "every conn answered");
        for (PoolSlotView v : PoolSlotView.of(client)) {
            v.resetConn(net); // the last one leaves no conn to say so on
        }
        waitFor(() -> serverCounters.get("conn.gone_received").get() == 4, "the server told of all four");
        assertEchoed(new byte[] {7, 8, 9});
    }

    /**
     * Starts both ends and sends datagrams through the tunnel while the network records every frame, as an
     * attacker on the path would; then the client stops.
     */
    private void recordAFlow() throws Exception {
        recorder.recording = true;
        start("k", "k");
        try (DatagramSocket app = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            app.setSoTimeout(2000);
            for (int i = 0; i < 5; i++) {
                app.send(new DatagramPacket(new byte[] {(byte) i, 2, 3}, 3, client.localAddress()));
                app.receive(new DatagramPacket(new byte[100], 100));
            }
        }
        Thread.sleep(300); // heartbeats too
        client.close();
        client = null;
        recorder.recording = false;
    }

    /**
     * Sends every recorded client frame from a fresh conn per port, as an attacker's own socket would;
     * returns what came back.
     */
    private RecordingHandler replay() throws Exception {
        RecordingHandler attacker = new RecordingHandler();
        LoopbackTransport transport = transport(Role.CLIENT);
        Map<Integer, io.rsock.api.Conn> conns = new java.util.HashMap<>();
        for (FrameRecorder.Recorded r : recorder.recorded) {
            if (r.fromClient() && !conns.containsKey(r.port())) {
                conns.put(r.port(), transport.dial(new InetSocketAddress(InetAddress.getLoopbackAddress(), r.port()), attacker));
            }
        }
        waitFor(() -> attacker.openedConns().size() == conns.size(), "the attacker's conns open");
        for (FrameRecorder.Recorded r : recorder.recorded) {
            if (r.fromClient()) {
                conns.get(r.port()).send(ByteBuffer.wrap(r.bytes()));
            }
        }
        Thread.sleep(500);
        return attacker;
    }

    @Test
    void framesReplayedAfterTheServerForgotTheClientReachNothing() throws Exception {
        recordAFlow();
        int reached = echoed.get();
        serverClockSkew.addAndGet(TimeUnit.SECONDS.toNanos(40)); // past --duration and the HELLO grace
        waitFor(() -> server.clientCount() == 0, "the server lets go of the client");
        RecordingHandler attacker = replay();
        assertEquals(reached, echoed.get(), "replayed frames reached -t");
        assertEquals(0, attacker.receivedCount(), "the server answered replayed frames");
        assertTrue(serverCounters.get("hello.replayed").get() > 0, serverCounters.snapshot()::toString);
        assertTrue(serverCounters.get("frame.unknown_client").get() > 0, serverCounters.snapshot()::toString);
        assertEquals(0, server.clientCount(), "a replay made the server hold state");
    }

    @Test
    void framesReplayedIntoAnotherServerRunReachNothingAndOnlySmallerHelloAcksComeBack() throws Exception {
        recordAFlow();
        server.close();
        startServer("k"); // a restart, or a second server with the same secret: another run nonce
        int reached = echoed.get();
        RecordingHandler attacker = replay();
        assertEquals(reached, echoed.get(), "replayed frames reached -t");
        // The HELLOs are seconds old and new to this run: each gets its HELLO_ACK, 8 bytes smaller, and no more.
        for (RecordingHandler.Frame f : attacker.drainFrames()) {
            assertEquals((FrameCodec.VERSION << 4) | FrameType.HELLO_ACK, f.bytes()[0] & 0xFF, "not a HELLO_ACK came back");
            assertEquals(FrameCodec.OVERHEAD + Hello.ACK_SIZE, f.bytes().length);
        }
        assertTrue(serverCounters.get("frame.bad_mac").get() > 0, "frames keyed to the old run: " + serverCounters.snapshot());
    }

    @Test
    void framesReflectedBackToTheirSenderAreCountedAndChangeNothing() throws Exception {
        start("k", "k");
        recorder.recording = true;
        try (DatagramSocket app = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            app.setSoTimeout(2000);
            app.send(new DatagramPacket(new byte[] {1}, 1, client.localAddress()));
            app.receive(new DatagramPacket(new byte[100], 100));
            Thread.sleep(300);
            recorder.recording = false;
            io.rsock.api.Conn toClient = PoolSlotView.of(client).get(0).conn();
            io.rsock.api.Conn toServer = net.peerOf(toClient);
            int fromClient = 0;
            int fromServer = 0;
            for (FrameRecorder.Recorded r : recorder.recorded) {
                net.inject(r.fromClient() ? toClient : toServer, r.bytes());
                fromClient += r.fromClient() ? 1 : 0;
                fromServer += r.fromClient() ? 0 : 1;
            }
            int c = fromClient;
            int s = fromServer;
            waitFor(() -> clientCounters.get("frame.reflected").get() == c && serverCounters.get("frame.reflected").get() == s,
                    "every reflected frame counted");
            // Nothing moved: the flow goes on both ways, and the app got no copy of its own datagram.
            app.send(new DatagramPacket(new byte[] {2}, 1, client.localAddress()));
            DatagramPacket reply = new DatagramPacket(new byte[100], 100);
            app.receive(reply);
            assertEquals(2, reply.getData()[0], "a reflected datagram reached the app");
            assertEquals(0, clientCounters.get("frame.replayed").get());
        }
    }

    /**
     * What the ends tell a transport is authentic (fake TCP then moves {@code rcv.nxt}, ICMP its
     * sequence window): an admitted HELLO, a HELLO_ACK that answers one of the client's HELLOs, and
     * any frame under the association's keys; not a copied HELLO or HELLO_ACK, nor a forged frame.
     */
    @Test
    void theEndsCallAuthenticOnlyAnAdmittedHelloAnAnswerToOursAndKeyedFrames() throws Exception {
        recorder.recording = true;
        start("k", "k");
        try (DatagramSocket app = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            app.setSoTimeout(2000);
            app.send(new DatagramPacket(new byte[] {1}, 1, client.localAddress()));
            app.receive(new DatagramPacket(new byte[100], 100));
        }
        Thread.sleep(300); // heartbeats and their answers too
        recorder.recording = false;
        byte[] hello = recorded(true, FrameType.HELLO);
        byte[] fromClient = recorded(true, FrameType.HEARTBEAT);
        byte[] helloAck = recorded(false, FrameType.HELLO_ACK);
        byte[] fromServer = recorded(false, FrameType.HEARTBEAT_ACK);
        io.rsock.api.Conn toClient = PoolSlotView.of(client).get(0).conn();
        io.rsock.api.Conn toServer = net.peerOf(toClient);

        assertFalse(net.injectAuthentic(toServer, hello), "a copy of a HELLO the server admitted");
        assertTrue(net.injectAuthentic(toServer, freshHello(hello)), "a fresh HELLO of the same client run");
        assertTrue(net.injectAuthentic(toServer, fromClient), "a keyed frame (a copy: the host's own window drops it)");
        assertFalse(net.injectAuthentic(toServer, tampered(fromClient)), "a forged frame");

        assertFalse(net.injectAuthentic(toClient, helloAck), "a copy of a HELLO_ACK already taken");
        assertTrue(net.injectAuthentic(toClient, fromServer), "a keyed frame of the server");
        assertFalse(net.injectAuthentic(toClient, tampered(fromServer)), "a forged frame");
        assertTrue(serverCounters.get("hello.replayed").get() > 0, serverCounters.snapshot()::toString);
    }

    /** The first frame of {@code type} recorded going from the client (or to it). */
    private byte[] recorded(boolean fromClient, int type) {
        return recorder.recorded.stream().filter(r -> r.fromClient() == fromClient && (r.bytes()[0] & 0x0F) == type)
                .findFirst().orElseThrow(() -> new AssertionError("no " + FrameType.name(type) + " recorded")).bytes();
    }

    /** A new HELLO of the client run that said {@code hello}: now, with a nonce of its own. */
    private static byte[] freshHello(byte[] hello) {
        ByteBuffer h = ByteBuffer.wrap(hello);
        int clientId = h.getInt(4);
        long clientRun = Hello.clientRun(h, FrameCodec.HEADER);
        ByteBuffer out = ByteBuffer.allocate(FrameCodec.OVERHEAD + Hello.SIZE);
        new FrameCodec(FrameKey.forClient("k", FrameProtection.NONE)).encode(out, null, FrameType.HELLO, 0, clientId, 0,
                1L << 40, Hello.write(ByteBuffer.allocate(Hello.SIZE), System.currentTimeMillis(), new Random().nextLong(),
                        clientRun));
        return out.array();
    }

    private static byte[] tampered(byte[] frame) {
        byte[] t = frame.clone();
        t[t.length - 1] ^= 1;
        return t;
    }

    @Test
    void aRestartedServerIsFoundAgainUnderItsNewRunsKeys() throws Exception {
        start("k", "k");
        try (DatagramSocket app = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            app.setSoTimeout(2000);
            app.send(new DatagramPacket(new byte[] {1}, 1, client.localAddress()));
            app.receive(new DatagramPacket(new byte[100], 100));
            long firstRun = client.association(InetAddress.getLoopbackAddress()).serverRun();
            server.close();
            startServer("k"); // the client's conns now lead nowhere: it redials and says HELLO to the new run
            waitFor(() -> client.association(InetAddress.getLoopbackAddress()).serverRun() != firstRun, "the new run's HELLO_ACK");
            assertEquals(2, echoWithin(app, new byte[] {2}, 10).getData()[0]);
        }
    }

    /** Reaches a client's conns to kill them as the network would. */
    record PoolSlotView(io.rsock.core.pool.PoolSlot slot) {
        static List<PoolSlotView> of(TunnelClient c) {
            return c.pool().slots().stream().map(PoolSlotView::new).toList();
        }

        /** The slot's conn as the in-memory transport made it (null when closed). */
        io.rsock.api.Conn conn() {
            io.rsock.api.Conn conn = slot.conn();
            return conn == null ? null : ((CountingConn) conn).unwrap();
        }

        boolean answered() {
            return slot.conn() != null && slot.health().srttNanos() >= 0;
        }

        /** An RST at the client's end only. */
        void resetConn(LoopbackTransport.Network net) {
            io.rsock.api.Conn pc = conn();
            if (pc != null) {
                net.resetOneEnd(pc);
            }
        }
    }

    static void waitFor(BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }
}
