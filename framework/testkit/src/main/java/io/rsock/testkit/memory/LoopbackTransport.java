package io.rsock.testkit.memory;

import io.rsock.api.CloseReason;
import io.rsock.api.Conn;
import io.rsock.api.ConnHandler;
import io.rsock.api.ConnInfo;
import io.rsock.api.ConnTransport;
import io.rsock.api.CounterKind;
import io.rsock.api.Counter;
import io.rsock.api.TransportContext;
import io.rsock.api.TransportException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * A {@link ConnTransport} in memory (type {@code "mem"}), for testing the host without any network:
 * frames go from one transport to another through a shared {@link Network}.
 *
 * <pre>{@code
 * try (LoopbackTransport.Network net = new LoopbackTransport.Network()) {
 *     LoopbackTransport server = new LoopbackTransport(net);          // at 127.0.0.1
 *     LoopbackTransport client = new LoopbackTransport(net);
 *     server.start(serverCtx);  client.start(clientCtx);
 *     server.listen(10001, serverHandler);
 *     Conn c = client.dial(new InetSocketAddress("127.0.0.1", 10001), clientHandler);
 *     ...
 *     net.kill(c);               // both ends: closed(RESET), as a peer's RST would do
 *     net.blackhole(c, true);    // frames on this link vanish; only heartbeats notice
 *     net.resetOneEnd(c);        // this end only: closed(RESET); the peer is not told
 * }
 * }</pre>
 *
 * <p>Behaviour: {@code dial} returns at once; on the network's delivery thread the listener at the
 * dialled (address, port) of the same type gets {@code opened} for a new server-side conn, then the
 * dialler gets {@code opened}. Nobody listening there: the dialler gets {@code closed(RESET)}.
 * Frames are copied at {@code send} and delivered in order on the delivery thread. {@code close()}
 * on a conn gives it {@code closed(LOCAL)} and its peer {@code closed(FINISHED)}; closing a
 * transport gives each of its conns {@code closed(SHUTDOWN)} before it returns, and their peers
 * {@code closed(FINISHED)}.
 *
 * <p>Options (from the context): {@code mem.max_frame}, the largest frame (default
 * {@value #DEFAULT_MAX_FRAME}).
 */
public final class LoopbackTransport implements ConnTransport {
    /** What {@code --type} would select this transport by. */
    public static final String TYPE = "mem";
    /** Largest frame unless option {@code mem.max_frame} says otherwise: that of UDP over a 1500-byte MTU. */
    public static final int DEFAULT_MAX_FRAME = 1472;
    /** Pretends to be UDP over IPv4 on the wire, so the host's MTU arithmetic sees a realistic figure. */
    public static final int OVERHEAD = 28;

    private final Network network;
    private final InetAddress address;
    private final String type;
    private final Set<LoopbackConn> conns = ConcurrentHashMap.newKeySet();
    private final Set<ListenKey> listening = ConcurrentHashMap.newKeySet();
    private volatile int maxFrame = DEFAULT_MAX_FRAME;
    private volatile Counter framesDropped;
    private volatile boolean started;
    private volatile boolean closed;

    /** A transport of type {@code "mem"} at the network's default address. */
    public LoopbackTransport(Network network) {
        this(network, network.defaultAddress());
    }

    /** A transport of type {@code "mem"} at {@code address}: it listens there and dials from there. */
    public LoopbackTransport(Network network, InetAddress address) {
        this(network, address, TYPE);
    }

    /**
     * A transport of type {@code type} at {@code address}; transports of different types never
     * reach each other, so a host test can run several in one pool as {@code --type all} does.
     */
    public LoopbackTransport(Network network, InetAddress address, String type) {
        this.network = Objects.requireNonNull(network, "network");
        this.address = Objects.requireNonNull(address, "address");
        this.type = Objects.requireNonNull(type, "type");
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public Map<String, String> options() {
        return Map.of(TYPE + ".max_frame", "the largest frame in bytes (default that of UDP over a 1500-byte MTU)");
    }

    @Override
    public void start(TransportContext ctx) throws TransportException {
        String max = ctx.option(TYPE + ".max_frame").orElse(null);
        if (max != null) {
            try {
                maxFrame = Integer.parseInt(max);
            } catch (NumberFormatException e) {
                throw new TransportException("option mem.max_frame: not a number: " + max);
            }
            if (maxFrame < 1) {
                throw new TransportException("option mem.max_frame: must be at least 1, got " + max);
            }
        }
        framesDropped = ctx.counter(TYPE + ".frames_dropped", CounterKind.DROP,
                "frames dropped by the in-memory network (loss it was told to simulate, or no peer)");
        started = true;
    }

    @Override
    public void listen(int port, ConnHandler handler) throws TransportException {
        requireRunning();
        ListenKey key = new ListenKey(type, address, port);
        if (network.listeners.putIfAbsent(key, new Listener(this, handler)) != null) {
            throw new TransportException(type + " port " + port + " on " + address.getHostAddress() + " is in use");
        }
        listening.add(key);
    }

    /** Stops accepting on {@code port}; conns accepted there stay open in this in-memory transport. */
    @Override
    public void unlisten(int port) {
        ListenKey key = new ListenKey(type, address, port);
        if (listening.remove(key)) {
            network.listeners.remove(key);
        }
    }

    @Override
    public Conn dial(InetSocketAddress server, ConnHandler handler) throws TransportException {
        requireRunning();
        InetSocketAddress local = new InetSocketAddress(address, network.nextEphemeralPort());
        LoopbackConn client = new LoopbackConn(this, handler, new ConnInfo(type, local, server), maxFrame);
        remember(client);
        network.post(() -> connect(client, server));
        return client;
    }

    /** On the delivery thread: finds the listener the way a SYN would, and opens both ends. */
    private void connect(LoopbackConn client, InetSocketAddress server) {
        Listener l = server.getAddress() == null ? null
                : network.listeners.get(new ListenKey(type, server.getAddress(), server.getPort()));
        if (l == null || l.transport.closed) {
            client.terminate(CloseReason.RESET);
            return;
        }
        LoopbackConn accepted = new LoopbackConn(l.transport, l.handler,
                new ConnInfo(type, server, client.info().local()), l.transport.maxFrame);
        accepted.peer = client;
        client.peer = accepted;
        if (!client.markOpen()) {
            return; // the dialler gave up before the listener answered; nobody ever saw `accepted`
        }
        accepted.markOpen();
        l.transport.remember(accepted);
        network.guard(() -> l.handler.opened(accepted));
        if (client.isOpen()) {
            network.guard(() -> client.handler.opened(client));
        }
    }

    @Override
    public int overhead() {
        return OVERHEAD;
    }

    /** Reports {@code closed(SHUTDOWN)} for every conn of this transport before returning. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ListenKey k : listening) {
            network.listeners.remove(k);
        }
        listening.clear();
        network.runAndWait(() -> {
            for (LoopbackConn c : new ArrayList<>(conns)) {
                c.terminate(CloseReason.SHUTDOWN);
                LoopbackConn p = c.peer;
                if (p != null) {
                    p.terminate(CloseReason.FINISHED);
                }
            }
        });
    }

    Network network() {
        return network;
    }

    private void remember(LoopbackConn c) {
        conns.add(c);
        network.live.add(c);
    }

    void forget(LoopbackConn c) {
        conns.remove(c);
        network.live.remove(c);
    }

    void countDrop() {
        Counter c = framesDropped;
        if (c != null) {
            c.increment();
        }
    }

    private void requireRunning() {
        if (!started) {
            throw new IllegalStateException("start() the transport first");
        }
        if (closed) {
            throw new IllegalStateException("the transport is closed");
        }
    }

    private record ListenKey(String type, InetAddress address, int port) {
    }

    private record Listener(LoopbackTransport transport, ConnHandler handler) {
    }

    /**
     * What {@link LoopbackTransport}s share: listeners, one delivery thread that makes every handler
     * call in order, and the hooks a host test uses to break links. Close it after the test.
     */
    public static final class Network implements AutoCloseable {
        /** Frames in flight at most before {@code send} starts returning {@code false}, unless the constructor says otherwise. */
        public static final int DEFAULT_CAPACITY = 65536;
        private static final Runnable STOP = () -> { };
        private static final AtomicInteger IDS = new AtomicInteger();

        private final InetAddress defaultAddress;
        private final int capacity;
        private final Map<ListenKey, Listener> listeners = new ConcurrentHashMap<>();
        private final Set<LoopbackConn> live = ConcurrentHashMap.newKeySet();
        private final BlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
        private final Thread deliveryThread;
        private final AtomicInteger framesInFlight = new AtomicInteger();
        private final AtomicInteger ephemeralPorts = new AtomicInteger();
        private final FailureLog failures = new FailureLog();
        private final Random random;
        private volatile boolean closed;

        private final AtomicInteger dropNext = new AtomicInteger();
        private volatile double dropProbability;
        private volatile BiConsumer<Conn, ByteBuffer> tap;
        private final AtomicLong delivered = new AtomicLong();
        private final AtomicLong dropped = new AtomicLong();

        /** A network whose transports default to address 127.0.0.1, holding {@link #DEFAULT_CAPACITY} frames in flight. */
        public Network() {
            this(InetAddress.getLoopbackAddress(), DEFAULT_CAPACITY, new Random().nextLong());
        }

        /**
         * A network whose transports default to {@code defaultAddress}, holding at most
         * {@code capacity} frames in flight, with random loss drawn from {@code seed}.
         */
        public Network(InetAddress defaultAddress, int capacity, long seed) {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity " + capacity);
            }
            this.defaultAddress = Objects.requireNonNull(defaultAddress, "defaultAddress");
            this.capacity = capacity;
            this.random = new Random(seed);
            this.deliveryThread = new Thread(this::deliverLoop, "loopback-net-" + IDS.incrementAndGet());
            this.deliveryThread.setDaemon(true);
            this.deliveryThread.start();
        }

        /** Where a {@link LoopbackTransport} built without an address sits. */
        public InetAddress defaultAddress() {
            return defaultAddress;
        }

        /** Each frame is lost with probability {@code p} (0 turns random loss off). */
        public void dropProbability(double p) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("probability " + p);
            }
            dropProbability = p;
        }

        /** The next {@code n} frames, on any conn, are lost. */
        public void dropNext(int n) {
            dropNext.set(n);
        }

        /**
         * While {@code on}, frames sent either way on the link {@code conn} (either end) vanish, and
         * neither end is told: the way a path dies silently, which only heartbeats detect.
         */
        public void blackhole(Conn conn, boolean on) {
            LoopbackConn c = (LoopbackConn) conn;
            c.blackholed = on;
            LoopbackConn p = c.peer;
            if (p != null) {
                p.blackholed = on;
            }
        }

        /** Closes both ends of the link {@code conn} (either end) with {@link CloseReason#RESET}, asynchronously. */
        public void kill(Conn conn) {
            LoopbackConn c = (LoopbackConn) conn;
            post(() -> {
                c.terminate(CloseReason.RESET);
                LoopbackConn p = c.peer;
                if (p != null) {
                    p.terminate(CloseReason.RESET);
                }
            });
        }

        /**
         * Closes only this end of the link {@code conn} with {@link CloseReason#RESET}, asynchronously;
         * the other end is not told: an RST that reached one end, or a middlebox that forgot the flow.
         */
        public void resetOneEnd(Conn conn) {
            LoopbackConn c = (LoopbackConn) conn;
            post(() -> c.terminate(CloseReason.RESET));
        }

        /** The other end of the link {@code conn}, or null before it opened. */
        public Conn peerOf(Conn conn) {
            return ((LoopbackConn) conn).peer;
        }

        /** Hands {@code frame} to {@code to}'s handler as if its peer had sent it (an injected packet), asynchronously. */
        public void inject(Conn to, byte[] frame) {
            LoopbackConn c = (LoopbackConn) to;
            post(() -> {
                if (c.isOpen()) {
                    c.handler.received(c, ByteBuffer.wrap(frame));
                }
            });
        }

        /**
         * Hands {@code frame} to {@code to}'s handler through {@code receivedAuthentic}, the way fake
         * TCP and ICMP hand over payload, and waits: returns whether the handler called it authentic.
         */
        public boolean injectAuthentic(Conn to, byte[] frame) throws InterruptedException, ExecutionException,
                TimeoutException {
            LoopbackConn c = (LoopbackConn) to;
            FutureTask<Boolean> f = new FutureTask<>(() -> c.isOpen() && c.handler.receivedAuthentic(c, ByteBuffer.wrap(frame)));
            events.add(f);
            return f.get(5, TimeUnit.SECONDS);
        }

        /**
         * Shows every frame sent, on the delivery thread before loss, with the conn that sent it, to
         * {@code tap} (a read-only buffer valid during the call); {@code null} removes it. A host test
         * sees with it how traffic spreads over the pool.
         */
        public void tap(BiConsumer<Conn, ByteBuffer> tap) {
            this.tap = tap;
        }

        /** Every conn end of every transport on this network that is open now. */
        public List<Conn> openConns() {
            List<Conn> out = new ArrayList<>();
            for (LoopbackConn c : live) {
                if (c.isOpen()) {
                    out.add(c);
                }
            }
            return out;
        }

        /** Frames handed to a receiving handler. */
        public long deliveredCount() {
            return delivered.get();
        }

        /** Frames lost: to the hooks, a blackhole, a full network, or a peer that closed meanwhile. */
        public long droppedCount() {
            return dropped.get();
        }

        /**
         * Waits until every frame and event posted so far has been handled.
         *
         * @return whether that happened within {@code timeout}
         */
        public boolean awaitIdle(Duration timeout) {
            FutureTask<Void> marker = new FutureTask<>(() -> { }, null);
            if (!events.offer(marker) || closed) {
                return false;
            }
            try {
                marker.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException | TimeoutException e) {
                return false;
            }
        }

        /** What handlers and taps threw on the delivery thread (the first few). */
        public List<Throwable> handlerFailures() {
            return failures.failures();
        }

        /** Throws an {@link AssertionError} carrying the first handler failure, if any. */
        public void assertNoHandlerFailures() {
            failures.assertNone("the loopback network");
        }

        /** Stops the delivery thread; events still queued are discarded. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            events.clear();
            events.add(STOP);
            if (Thread.currentThread() == deliveryThread) {
                return;
            }
            try {
                deliveryThread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        int nextEphemeralPort() {
            return 32768 + Math.floorMod(ephemeralPorts.getAndIncrement(), 28232);
        }

        boolean carry(LoopbackConn from, LoopbackConn to, ByteBuffer frame) {
            if (closed || framesInFlight.incrementAndGet() > capacity) {
                framesInFlight.decrementAndGet();
                lost(from);
                return false;
            }
            ByteBuffer copy = ByteBuffer.allocate(frame.remaining()).put(frame.duplicate()).flip();
            events.add(() -> {
                framesInFlight.decrementAndGet();
                BiConsumer<Conn, ByteBuffer> t = tap;
                if (t != null) {
                    guard(() -> t.accept(from, copy.asReadOnlyBuffer()));
                }
                if (from.blackholed || lose() || !to.isOpen()) {
                    lost(from);
                    return;
                }
                delivered.incrementAndGet();
                guard(() -> to.handler.received(to, copy));
            });
            return true;
        }

        private void lost(LoopbackConn from) {
            dropped.incrementAndGet();
            from.owner.countDrop();
        }

        private boolean lose() {
            if (dropNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                return true;
            }
            double p = dropProbability;
            return p > 0 && random.nextDouble() < p;
        }

        /** Queues {@code task} for the delivery thread, or runs it here if the network is closed. */
        void post(Runnable task) {
            if (closed) {
                guard(task);
            } else {
                events.add(task);
            }
        }

        /** Runs {@code task} on the delivery thread and waits for it, so its handler calls precede the return. */
        void runAndWait(Runnable task) {
            if (closed || Thread.currentThread() == deliveryThread) {
                guard(task);
                return;
            }
            FutureTask<Void> f = new FutureTask<>(task, null);
            events.add(f);
            try {
                f.get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("loopback network did not run a close in time", e);
            }
        }

        void guard(Runnable r) {
            failures.run(r);
        }

        private void deliverLoop() {
            while (true) {
                Runnable r;
                try {
                    r = events.take();
                } catch (InterruptedException e) {
                    return;
                }
                if (r == STOP) {
                    return;
                }
                guard(r);
            }
        }
    }
}
