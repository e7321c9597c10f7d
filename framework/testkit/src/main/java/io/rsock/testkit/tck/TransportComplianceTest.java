package io.rsock.testkit.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rsock.api.CloseReason;
import io.rsock.api.Conn;
import io.rsock.api.ConnInfo;
import io.rsock.api.ConnTransport;
import io.rsock.api.Role;
import io.rsock.testkit.Await;
import io.rsock.testkit.RecordingHandler;
import io.rsock.testkit.RecordingHandler.Frame;
import io.rsock.testkit.TestTransportContext;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pf4j.Extension;

/**
 * The transport compliance kit: what every {@link ConnTransport} must do for the host to rely on it.
 * A transport's test suite extends this class and says how to build its transports:
 *
 * <pre>{@code
 * class MyTransportTest extends TransportComplianceTest {
 *     protected ConnTransport newTransport(Role role) { return new MyTransport(); }
 *     protected InetSocketAddress serverAddress(int port) { return new InetSocketAddress("127.0.0.1", port); }
 *     protected int listenPort() { return FreePorts.udp(); }
 * }
 * }</pre>
 *
 * <p>Transports that use raw packets override {@link #newContext} to give each side an endpoint of
 * an {@link io.rsock.testkit.memory.InMemoryPacketNetwork} (register it with {@link #closeAfterTest});
 * {@link #injectGarbage} lets the kit check that hostile input does not break the receive path.
 *
 * <p>For each test the kit builds a fresh server and client transport with their contexts, starts
 * them, and closes everything afterwards. Frames may be lost (the tunnel is unreliable by design) but
 * must arrive intact. Every wait is bounded by {@link #timeout()}; nothing asserts on timing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class TransportComplianceTest {
    private static final byte[] MAGIC = "rsTK".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_SIZE = -1;

    /** The server-side transport under test, started. */
    protected ConnTransport server;
    /** The client-side transport under test, started. */
    protected ConnTransport client;
    /** The server transport's context. */
    protected TestTransportContext serverCtx;
    /** The client transport's context. */
    protected TestTransportContext clientCtx;
    /** Gets every conn the server accepts, on every port the kit listens on; echoes every frame. */
    protected RecordingHandler serverHandler;

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final Set<Integer> listening = new HashSet<>();
    private final AtomicInteger greetings = new AtomicInteger();
    private ThreadSnapshot threadsBefore;
    private boolean serverClosed;
    private boolean clientClosed;

    /** A new, unstarted transport for {@code role}; the kit starts and closes it. */
    protected abstract ConnTransport newTransport(Role role);

    /** The address a client dials to reach the server transport listening on {@code port}. */
    protected abstract InetSocketAddress serverAddress(int port);

    /**
     * A port the server transport can listen on, different at each call within a test (the kit
     * also uses it for a port nobody listens on).
     */
    protected abstract int listenPort();

    /**
     * The context for {@code role}'s transport; by default one with every default of
     * {@link TestTransportContext}. Raw-packet transports give it packet I/O here.
     */
    protected TestTransportContext newContext(Role role) {
        return TestTransportContext.of(role);
    }

    /**
     * Sends hostile input to the server transport's receive path, {@code server} being where it
     * listens and {@code client} the conn the kit has open to it: truncated headers, wrong
     * checksums, random bytes, segments out of window... The kit then checks that the conn still
     * carries frames both ways. Skipped unless overridden.
     */
    protected void injectGarbage(InetSocketAddress server, ConnInfo client) throws Exception {
        Assumptions.abort("this transport's test does not inject garbage");
    }

    /**
     * Whether the transport under test is shipped as a pf4j plugin, so that the kit checks its jar's
     * extension index lists it. Only the testkit's own in-memory transport says no.
     */
    protected boolean packagedAsPlugin() {
        return true;
    }

    /** The bound on every single wait. */
    protected Duration timeout() {
        return Duration.ofSeconds(10);
    }

    /** Closes {@code resource} after the test, after the transports, last registered first. */
    protected final <T extends AutoCloseable> T closeAfterTest(T resource) {
        resources.push(resource);
        return resource;
    }

    @BeforeEach
    final void startTransports() throws Exception {
        serverCtx = newContext(Role.SERVER);
        clientCtx = newContext(Role.CLIENT);
        server = newTransport(Role.SERVER);
        client = newTransport(Role.CLIENT);
        serverHandler = RecordingHandler.echoing();
        threadsBefore = ThreadSnapshot.take();
        server.start(serverCtx);
        client.start(clientCtx);
    }

    @AfterEach
    final void closeEverything() throws Exception {
        List<Throwable> failures = new ArrayList<>();
        closeQuietly(this::closeClient, failures);
        closeQuietly(this::closeServer, failures);
        while (!resources.isEmpty()) {
            closeQuietly(resources.pop()::close, failures);
        }
        closeQuietly(serverCtx::close, failures);
        closeQuietly(clientCtx::close, failures);
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError("closing after the test failed", failures.get(0));
            failures.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The tests

    @Test
    void describesItself() {
        assertNotNull(server.type(), "type()");
        assertFalse(server.type().isBlank(), "type() must name the transport for --type");
        assertEquals(server.type(), client.type(), "both sides are one transport");
        assertTrue(server.overhead() >= 0 && server.overhead() < 1500, "overhead() is the header bytes per packet");
    }

    /** The host refuses {@code --opt} keys no transport declares, so every key it reads must be declared. */
    @Test
    void declaresEveryOptionItReads() {
        Set<String> asked = new TreeSet<>(serverCtx.optionsAsked());
        asked.addAll(clientCtx.optionsAsked());
        asked.removeAll(server.options().keySet());
        assertTrue(asked.isEmpty(), () -> "start() read options that options() does not declare: " + asked
                + "; declare them (key -> one-line description) so that the host accepts them");
        server.options().forEach((key, description) -> {
            assertFalse(key.isBlank() || key.contains("=") || key.contains(" "), "option key '" + key + "'");
            assertFalse(description == null || description.isBlank() || description.contains("\n"),
                    "option " + key + " needs a one-line description");
        });
    }

    @Test
    void isAPf4jExtensionListedInTheExtensionIndex() throws Exception {
        Assumptions.assumeTrue(packagedAsPlugin(), "not shipped as a plugin");
        Class<?> type = server.getClass();
        assertTrue(type.isAnnotationPresent(Extension.class), type.getName() + " is annotated @org.pf4j.Extension");
        Set<String> indexed = new HashSet<>();
        Enumeration<URL> indexes = type.getClassLoader().getResources("META-INF/extensions.idx");
        while (indexes.hasMoreElements()) {
            try (InputStream in = indexes.nextElement().openStream()) {
                new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim)
                        .filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(indexed::add);
            }
        }
        assertTrue(indexed.contains(type.getName()), "META-INF/extensions.idx lists " + type.getName()
                + " (pf4j's annotation processor writes it when javac runs with pf4j on the class path): " + indexed);
    }

    @Test
    void declaresEveryCounterWithAKindAndASentence() {
        Link link = establish(listen(listenPort()));
        byte[] payload = pattern(Math.min(100, link.client.maxFrameSize()), 8);
        assertArrayEquals(payload, roundTrip(link, payload));
        assertEquals(Set.of(), serverCtx.undeclaredCounters(),
                "server counters looked up without ctx.counter(name, kind, sentence): rsock status cannot tell what they count");
        assertEquals(Set.of(), clientCtx.undeclaredCounters(), "client counters looked up without a declaration");
    }

    @Test
    void openedComesFromTheTransportNeverFromInsideDial() {
        int port = listen(listenPort());
        Thread dialling = Thread.currentThread();
        AtomicBoolean inDial = new AtomicBoolean();
        AtomicBoolean openedInsideDial = new AtomicBoolean();
        RecordingHandler h = new RecordingHandler() {
            @Override
            public void opened(Conn conn) {
                if (inDial.get() && Thread.currentThread() == dialling) {
                    openedInsideDial.set(true);
                }
                super.opened(conn);
            }
        };
        inDial.set(true);
        Conn c = assertDoesNotThrow(() -> client.dial(serverAddress(port), h), "dial");
        inDial.set(false);
        assertSame(c, h.awaitOpened(timeout()));
        assertFalse(openedInsideDial.get(), "opened() ran inside dial(), before the host had the conn dial() returns");
    }

    @Test
    void dialAndFirstFrameOpenBothEnds() {
        Link link = establish(listen(listenPort()));
        assertTrue(link.client.isOpen(), "client conn open");
        assertTrue(link.server.isOpen(), "server conn open");
        assertEquals(client.type(), link.client.info().type());
        assertEquals(server.type(), link.server.info().type());
        assertTrue(link.client.maxFrameSize() > 0, "maxFrameSize() > 0");
    }

    static Stream<Arguments> frameSizes() {
        return Stream.of(Arguments.of(Named.of("1 byte", 1)), Arguments.of(Named.of("100 bytes", 100)),
                Arguments.of(Named.of("1200 bytes", 1200)), Arguments.of(Named.of("maxFrameSize()", MAX_SIZE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frameSizes")
    void framesArriveIntactBothWays(int requested) {
        Link link = establish(listen(listenPort()));
        int size = requested == MAX_SIZE ? Math.min(link.client.maxFrameSize(), link.server.maxFrameSize()) : requested;
        Assumptions.assumeTrue(size <= link.client.maxFrameSize() && size <= link.server.maxFrameSize(),
                "this transport's frames are smaller than " + size);

        byte[] up = pattern(size, 1);
        assertArrayEquals(up, roundTrip(link, up), "client -> server -> client, " + size + " bytes");

        byte[] down = pattern(size, 2);
        assertTrue(link.server.send(ByteBuffer.wrap(down)), "server send on an open conn");
        Frame got = awaitFrame(link.clientHandler, f -> Arrays.equals(f.bytes(), down));
        assertSame(link.client, got.conn(), "server's frame arrives on the client's conn");
    }

    @Test
    void callerMayReuseTheBufferAsSoonAsSendReturns() {
        Link link = establish(listen(listenPort()));
        int size = Math.min(200, link.client.maxFrameSize());
        ByteBuffer reused = ByteBuffer.allocateDirect(size + 20);
        Set<Byte> expected = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            byte fill = (byte) (0x40 + i);
            expected.add(fill);
            reused.clear();
            while (reused.hasRemaining()) {
                reused.put(fill);
            }
            // Position and limit not at the buffer's ends: the frame is what lies between them.
            reused.position(10).limit(10 + size);
            assertTrue(link.client.send(reused), "send");
        }
        Set<Byte> seen = new HashSet<>();
        Await.assertUntil(() -> {
            for (Frame f : serverHandler.drainFrames()) {
                if (f.bytes().length == size && allEqual(f.bytes())) {
                    seen.add(f.bytes()[0]);
                }
            }
            return seen.size() >= expected.size() - 1; // one loss tolerated, even on loopback
        }, timeout(), "frames from a reused buffer arriving as sent");
        assertTrue(expected.containsAll(seen), "no frame mixes two sends' bytes: " + seen);
    }

    @Test
    void frameLargerThanMaxIsRefusedWithoutException() {
        Link link = establish(listen(listenPort()));
        ByteBuffer tooBig = ByteBuffer.allocate(link.client.maxFrameSize() + 1);
        assertFalse(assertDoesNotThrow(() -> link.client.send(tooBig)), "client send over maxFrameSize()");
        ByteBuffer tooBigDown = ByteBuffer.allocate(link.server.maxFrameSize() + 1);
        assertFalse(assertDoesNotThrow(() -> link.server.send(tooBigDown)), "server send over maxFrameSize()");
        byte[] after = pattern(50, 3);
        assertArrayEquals(after, roundTrip(link, after), "the conn still works");
    }

    @Test
    void manyFramesMostlyArriveIntact() {
        Link link = establish(listen(listenPort()));
        int count = 1000;
        int size = Math.min(512, link.client.maxFrameSize());
        serverHandler.drainFrames();
        link.clientHandler.drainFrames();
        int base = serverHandler.receivedCount();
        ByteBuffer buf = ByteBuffer.allocate(size);
        for (int seq = 0; seq < count; seq++) {
            paceBehind(base, seq);
            numbered(buf, seq, 0);
            link.client.send(buf);
        }
        Set<Integer> atServer = new HashSet<>();
        Set<Integer> backAtClient = new HashSet<>();
        int needed = count * 95 / 100;
        collectUntilAllOrQuiet(() -> {
            collectNumbered(serverHandler.drainFrames(), 0, size, atServer);
            collectNumbered(link.clientHandler.drainFrames(), 0, size, backAtClient);
            return atServer.size() + backAtClient.size();
        }, 2 * count);
        assertTrue(atServer.size() >= needed, "client -> server: " + atServer.size() + " of " + count + " arrived");
        assertTrue(backAtClient.size() >= atServer.size() * 95 / 100,
                "server -> client: " + backAtClient.size() + " of " + atServer.size() + " echoed arrived");
    }

    @Test
    void aBatchSendCarriesEveryFrameIntactBothWays() {
        Link link = establish(listen(listenPort()));
        int size = Math.min(300, Math.min(link.client.maxFrameSize(), link.server.maxFrameSize()));
        int batch = 16;
        serverHandler.drainFrames();
        link.clientHandler.drainFrames();
        ByteBuffer[] up = new ByteBuffer[batch + 1];
        ByteBuffer[] down = new ByteBuffer[batch + 1];
        for (int i = 0; i < up.length; i++) {
            up[i] = ByteBuffer.allocate(size);
            down[i] = ByteBuffer.allocateDirect(size);
            numbered(up[i], i, 1);
            numbered(down[i], i, 2);
        }
        up[batch] = ByteBuffer.allocate(link.client.maxFrameSize() + 1); // refused, the others still go
        down[batch] = ByteBuffer.allocate(link.server.maxFrameSize() + 1);
        int upAccepted = assertDoesNotThrow(() -> link.client.send(up, up.length));
        int downAccepted = assertDoesNotThrow(() -> link.server.send(down, down.length));
        assertEquals(batch, upAccepted, "client batch: every frame but the oversized one accepted");
        assertEquals(batch, downAccepted, "server batch: every frame but the oversized one accepted");
        Set<Integer> atServer = new HashSet<>();
        Set<Integer> atClient = new HashSet<>();
        collectUntilAllOrQuiet(() -> {
            collectNumbered(serverHandler.drainFrames(), 1, size, atServer);
            collectNumbered(link.clientHandler.drainFrames(), 2, size, atClient);
            return atServer.size() + atClient.size();
        }, 2 * batch);
        assertTrue(atServer.size() >= batch - 1, "client -> server: " + atServer + " of " + batch);
        assertTrue(atClient.size() >= batch - 1, "server -> client: " + atClient + " of " + batch);
    }

    @Test
    void sendIsSafeFromManyThreads() throws Exception {
        Link link = establish(listen(listenPort()));
        int threads = 4;
        int perThread = 200;
        int size = Math.min(300, link.client.maxFrameSize());
        serverHandler.drainFrames();
        int base = serverHandler.receivedCount();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int tag = t + 1;
            Thread th = new Thread(() -> {
                ByteBuffer buf = ByteBuffer.allocate(size);
                try {
                    for (int seq = 0; seq < perThread; seq++) {
                        paceBehind(base, (seq + 1) * threads);
                        numbered(buf, seq, tag);
                        link.client.send(buf);
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "tck-sender-" + tag);
            senders.add(th);
            th.start();
        }
        for (Thread th : senders) {
            th.join(timeout().toMillis());
        }
        if (failure.get() != null) {
            fail("send threw", failure.get());
        }
        List<Set<Integer>> seen = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            seen.add(new HashSet<>());
        }
        collectUntilAllOrQuiet(() -> {
            List<Frame> frames = serverHandler.drainFrames();
            for (int t = 0; t < threads; t++) {
                collectNumbered(frames, t + 1, size, seen.get(t));
            }
            return seen.stream().mapToInt(Set::size).sum();
        }, threads * perThread);
        int total = seen.stream().mapToInt(Set::size).sum();
        assertTrue(total >= threads * perThread * 95 / 100,
                total + " of " + threads * perThread + " frames sent from " + threads + " threads arrived intact");
    }

    @Test
    void eachDialIsItsOwnConn() {
        int port = listen(listenPort());
        Link a = establish(port);
        Link b = establish(port);
        assertNotEquals(a.server, b.server, "two dials, two server conns");
        byte[] fromA = pattern(64, 0xA);
        byte[] fromB = pattern(64, 0xB);
        assertArrayEquals(fromA, roundTrip(a, fromA));
        assertArrayEquals(fromB, roundTrip(b, fromB));
        for (Frame f : a.clientHandler.drainFrames()) {
            assertFalse(Arrays.equals(fromB, f.bytes()), "b's echo reached a");
        }
    }

    @Test
    void closingAConnReportsLocalOnceAndStopsIt() {
        Link link = establish(listen(listenPort()));
        link.client.close();
        RecordingHandler.Closure c = link.clientHandler.awaitClosed(timeout());
        assertSame(link.client, c.conn());
        assertEquals(CloseReason.LOCAL, c.reason());
        assertFalse(link.client.isOpen(), "isOpen() after close()");
        assertFalse(assertDoesNotThrow(() -> link.client.send(ByteBuffer.wrap(pattern(10, 4)))), "send after close()");
        assertDoesNotThrow(link.client::close, "close() is idempotent");
        closeClient();
        assertEquals(1, link.clientHandler.closeCount(link.client), "closed() once, whatever closes it later");
    }

    @Test
    void closingTheTransportClosesEveryConnAndLeavesNothingBehind() {
        int p1 = listen(listenPort());
        int p2 = listen(listenPort());
        List<Link> links = List.of(establish(p1), establish(p1), establish(p2));

        closeClient();
        for (Link l : links) {
            Await.assertUntil(() -> l.clientHandler.closeCount(l.client) > 0, timeout(), "client conn " + l.client.info() + " closed");
            assertEquals(CloseReason.SHUTDOWN, l.clientHandler.closures().get(0).reason(), "reason when the transport closes");
            assertFalse(l.client.isOpen());
            assertFalse(l.client.send(ByteBuffer.wrap(pattern(10, 5))), "send on a conn of a closed transport");
        }
        closeServer();
        for (Link l : links) {
            Await.assertUntil(() -> serverHandler.closeCount(l.server) > 0, timeout(), "server conn " + l.server.info() + " closed");
        }
        for (Link l : links) {
            assertEquals(1, l.clientHandler.closeCount(l.client), "closed() once per client conn");
            assertEquals(1, serverHandler.closeCount(l.server), "closed() once per server conn");
        }
        serverCtx.firewall().awaitAllRemoved(timeout());
        clientCtx.firewall().awaitAllRemoved(timeout());
        List<Thread> left = new ArrayList<>();
        boolean gone = Await.until(() -> {
            left.clear();
            left.addAll(threadsBefore.newSince(t -> serverCtx.ownsThread(t) || clientCtx.ownsThread(t)));
            return left.isEmpty();
        }, timeout());
        assertTrue(gone, "threads still running after close(): " + left);
    }

    @Test
    void dialToAPortNobodyListensOnDoesNotThrow() {
        int nobody = listenPort();
        RecordingHandler h = new RecordingHandler();
        Conn conn = assertDoesNotThrow(() -> client.dial(serverAddress(nobody), h));
        assertNotNull(conn, "dial returns a conn even when it cannot succeed");
        assertDoesNotThrow(() -> conn.send(ByteBuffer.wrap(pattern(20, 6))));
        closeClient();
        Await.assertUntil(() -> h.closeCount(conn) > 0, timeout(), "closed() for a conn that never reached a server");
        assertEquals(1, h.closeCount(conn), "closed() once");
    }

    @Test
    void receivePathSurvivesGarbage() throws Exception {
        int port = listen(listenPort());
        Link link = establish(port);
        injectGarbage(serverAddress(port), link.client.info());
        assertTrue(link.client.isOpen(), "client conn survives garbage");
        byte[] after = pattern(Math.min(300, Math.min(link.client.maxFrameSize(), link.server.maxFrameSize())), 7);
        assertArrayEquals(after, roundTrip(link, after), "the conn still carries frames both ways");
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers, also for a subclass's own tests

    /** One established conn: the client's end, its handler, and the server's end. */
    protected record Link(Conn client, RecordingHandler clientHandler, Conn server) {
    }

    /** Makes the server listen on {@code port} with {@link #serverHandler}; returns the port. */
    protected final int listen(int port) {
        if (listening.add(port)) {
            assertDoesNotThrow(() -> server.listen(port, serverHandler), "listen(" + port + ")");
        }
        return port;
    }

    /**
     * Dials {@code port}, waits for the client's {@code opened}, then greets the server until the
     * greeting arrives (a connectionless server knows a conn only from its first frame) and checks
     * the server reported the conn {@code opened} before its first frame.
     */
    protected final Link establish(int port) {
        RecordingHandler h = new RecordingHandler();
        Conn c = assertDoesNotThrow(() -> client.dial(serverAddress(port), h), "dial");
        assertSame(c, h.awaitOpened(timeout()), "opened() for the conn dial() returned");
        byte[] hello = ("rsock-tck-hello-" + greetings.incrementAndGet()).getBytes(StandardCharsets.US_ASCII);
        Frame greeting = resendUntil(c, hello, serverHandler, f -> Arrays.equals(f.bytes(), hello));
        assertTrue(serverHandler.openedConns().contains(greeting.conn()), "server opened() precedes its first received()");
        return new Link(c, h, greeting.conn());
    }

    /** Sends {@code payload} from the client and returns what the echoing server sent back. */
    protected final byte[] roundTrip(Link link, byte[] payload) {
        Frame atServer = resendUntil(link.client, payload, serverHandler, f -> Arrays.equals(f.bytes(), payload));
        assertSame(link.server, atServer.conn(), "frame arrives on the server's end of this conn");
        return awaitFrame(link.clientHandler, f -> Arrays.equals(f.bytes(), payload)).bytes();
    }

    /** Waits for a frame {@code which} accepts, discarding the others. */
    protected final Frame awaitFrame(RecordingHandler h, Predicate<Frame> which) {
        long deadline = System.nanoTime() + timeout().toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the expected frame did not arrive within " + timeout());
            }
            Frame f = h.awaitFrame(Duration.ofNanos(left));
            if (which.test(f)) {
                return f;
            }
        }
    }

    /** Sends, and sends again every second (the tunnel may lose one), until {@code h} gets the frame. */
    private Frame resendUntil(Conn c, byte[] payload, RecordingHandler h, Predicate<Frame> which) {
        long deadline = System.nanoTime() + timeout().toNanos();
        while (System.nanoTime() - deadline < 0) {
            c.send(ByteBuffer.wrap(payload));
            long wait = Math.min(TimeUnit.SECONDS.toNanos(1), deadline - System.nanoTime());
            long until = System.nanoTime() + Math.max(wait, 0);
            while (System.nanoTime() - until < 0) {
                Frame f;
                try {
                    f = h.awaitFrame(Duration.ofNanos(until - System.nanoTime()));
                } catch (AssertionError timedOut) {
                    break;
                }
                if (which.test(f)) {
                    return f;
                }
            }
        }
        throw new AssertionError("a frame of " + payload.length + " bytes never arrived within " + timeout());
    }

    /**
     * Keeps a burst within what a socket buffer holds: waits (bounded) until the server has
     * received all but a window of what was sent. Loss only costs the bounded wait.
     */
    private void paceBehind(int base, int sent) {
        int window = 64;
        if (sent - (serverHandler.receivedCount() - base) > window) {
            Await.until(() -> sent - (serverHandler.receivedCount() - base) <= window / 2, Duration.ofMillis(50));
        }
    }

    /**
     * Calls {@code collect} (which returns how many distinct frames it has so far) until it reaches
     * {@code all}, or nothing new arrived for a second (the rest is lost), or the timeout.
     */
    private void collectUntilAllOrQuiet(IntSupplier collect, int all) {
        long quiet = TimeUnit.SECONDS.toNanos(1);
        long[] lastChange = {System.nanoTime()};
        int[] last = {-1};
        Await.until(() -> {
            int n = collect.getAsInt();
            if (n != last[0]) {
                last[0] = n;
                lastChange[0] = System.nanoTime();
            }
            return n >= all || System.nanoTime() - lastChange[0] > quiet;
        }, timeout());
    }

    private void closeClient() {
        if (!clientClosed) {
            clientClosed = true;
            client.close();
        }
    }

    private void closeServer() {
        if (!serverClosed) {
            serverClosed = true;
            server.close();
        }
    }

    /** A frame anyone can check: MAGIC, a tag, a sequence number, then bytes derived from both. */
    private static void numbered(ByteBuffer buf, int seq, int tag) {
        buf.clear();
        buf.put(MAGIC).putInt(tag).putInt(seq);
        while (buf.hasRemaining()) {
            buf.put((byte) (seq * 31 + tag * 7 + buf.position()));
        }
        buf.flip();
    }

    private static void collectNumbered(List<Frame> frames, int tag, int size, Set<Integer> into) {
        ByteBuffer expect = ByteBuffer.allocate(size);
        for (Frame f : frames) {
            byte[] b = f.bytes();
            if (b.length != size || !Arrays.equals(b, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
                continue;
            }
            ByteBuffer got = ByteBuffer.wrap(b);
            int seq = got.getInt(MAGIC.length + 4);
            if (got.getInt(MAGIC.length) != tag) {
                continue;
            }
            numbered(expect, seq, tag);
            assertEquals(expect, got, "frame " + seq + " (tag " + tag + ") arrived corrupted");
            into.add(seq);
        }
    }

    private static byte[] pattern(int size, int seed) {
        byte[] b = new byte[size];
        new Random(seed * 1_000_003L + size).nextBytes(b);
        return b;
    }

    private static boolean allEqual(byte[] b) {
        for (byte x : b) {
            if (x != b[0]) {
                return false;
            }
        }
        return true;
    }

    private static void closeQuietly(ThrowingRunnable r, List<Throwable> failures) {
        try {
            r.run();
        } catch (Throwable e) {
            failures.add(e);
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
