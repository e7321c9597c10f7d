package io.rsock.transport.faketcp;

import io.rsock.api.CloseReason;
import io.rsock.api.Conn;
import io.rsock.api.ConnHandler;
import io.rsock.api.ConnInfo;
import io.rsock.api.ConnTransport;
import io.rsock.api.HandshakeTokens;
import io.rsock.api.TransportContext;
import io.rsock.api.TransportException;
import io.rsock.api.codec.IpAddress;
import io.rsock.api.codec.Tcp;
import io.rsock.api.packet.PacketFilter;
import io.rsock.api.packet.PacketIO;
import io.rsock.api.packet.Registration;
import io.rsock.api.raw.CaptureGuard;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fake TCP ({@code --type tcp}): every frame travels as the payload of one TCP segment of a
 * connection that this transport runs itself, in user space, over raw packets ({@link PacketIO}):
 * a real three-way handshake with Linux's options, sequence and acknowledgment numbers that follow
 * the bytes exactly, timestamps on every segment, keepalives, FIN and RST, so that stateful
 * firewalls and NATs accept the flow. Nothing is retransmitted: the tunnel is unreliable like UDP.
 *
 * <p>The server answers only SYNs whose ISN and timestamp value carry a good handshake token
 * ({@link TransportContext#handshakeTokens()}, keyed by the host from the secret); to everyone else a
 * port looks closed ({@link FakeTcpListener}). RST, SYN, FIN and ACK acceptance follow RFC 5961, and
 * the acknowledgment moves only past frames the host found authentic ({@link TcpEndpoint}).
 *
 * <p>The kernel has no socket for these flows and would answer them with RST; the transport asks
 * the host's {@link io.rsock.api.packet.Firewall} to drop inbound segments of every port it listens
 * on (server) and of every dial's local port (client), and removes those rules as conns and
 * listeners close.
 *
 * <p>Both families: a dial goes out in the family of the server's address, from the device's
 * address of that family; a listener takes clients of both (its firewall rule and capture name no
 * peer, so they hold for IPv4 and IPv6 alike) and answers each from the address it was sent to.
 *
 * <p>Threads: none of its own. Segments arrive on the capture thread; {@link Conn#send} writes on
 * the caller's thread into the conn's own buffer under the conn's lock; timers (SYN retries,
 * delayed ACK, keepalive, timeouts) run in one periodic task on the host's scheduler.
 *
 * <p>Options ({@code --opt tcp.<key>=<value>}, or {@code faketcp.<key>}): see {@link FakeTcpOptions}.
 */
@Extension
public final class FakeTcpTransport implements ConnTransport {
    /** What {@code --type} selects this transport by. */
    public static final String TYPE = "tcp";
    /** Ephemeral ports a dial picks its local port from (Linux's default range). */
    static final int EPHEMERAL_LOW = 32768;
    static final int EPHEMERAL_HIGH = 60999;
    /** How often the timers run. */
    static final long TICK_MILLIS = 10;
    private static final Logger log = LoggerFactory.getLogger(FakeTcpTransport.class);

    private TransportContext ctx;
    private PacketIO io;
    private FakeTcpOptions opts;
    private FakeTcpCounters counters;
    private int mtu;
    /** Most packets one batched send builds before handing them over. */
    static final int SEND_BATCH = 32;
    private final ThreadLocal<ByteBuffer[]> sendBuffers = ThreadLocal.withInitial(() -> {
        ByteBuffer[] b = new ByteBuffer[SEND_BATCH];
        for (int i = 0; i < b.length; i++) {
            b[i] = ByteBuffer.allocateDirect(mtu);
        }
        return b;
    });
    private ScheduledFuture<?> ticker;
    /** ISNs, timestamp offsets, IP ids and ports: unpredictable, so none helps a blind attacker. Thread-safe. */
    private final SecureRandom random = new SecureRandom();
    private HandshakeTokens tokens;
    private final Set<FakeTcpConn> conns = ConcurrentHashMap.newKeySet();
    private final Map<Integer, FakeTcpListener> listeners = new ConcurrentHashMap<>();
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private final AtomicInteger halfOpen = new AtomicInteger();
    private volatile boolean closed;
    private CaptureGuard captureGuard;

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, String> options() {
        return FakeTcpOptions.KEYS;
    }

    @Override
    public void start(TransportContext ctx) throws TransportException {
        this.ctx = ctx;
        this.opts = FakeTcpOptions.from(ctx);
        this.io = ctx.packets();
        this.mtu = io.mtu();
        if (mtu < TcpEndpoint.OVERHEAD + 64) {
            throw new TransportException("fake TCP needs an MTU of at least " + (TcpEndpoint.OVERHEAD + 64) + " bytes, the device has " + mtu);
        }
        this.counters = new FakeTcpCounters(ctx);
        this.captureGuard = new CaptureGuard(ctx, "tcp.receiver_errors");
        this.tokens = ctx.handshakeTokens();
        this.ticker = ctx.scheduler().scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void listen(int port, ConnHandler handler) throws TransportException {
        if (port <= 0 || port > 0xFFFF) {
            throw new TransportException("cannot listen on port " + port);
        }
        if (closed) {
            throw new TransportException("the fake TCP transport is closed");
        }
        FakeTcpListener l = new FakeTcpListener(this, port, handler);
        if (listeners.putIfAbsent(port, l) != null) {
            throw new TransportException("fake TCP already listens on port " + port);
        }
        try {
            PacketFilter filter = PacketFilter.tcpTo(port);
            l.rule = ctx.firewall().dropInbound(filter);
            l.capture = io.register(filter, captureGuard.guard(l));
        } catch (TransportException | RuntimeException e) {
            listeners.remove(port, l);
            l.close();
            throw e;
        }
    }

    @Override
    public void unlisten(int port) {
        FakeTcpListener l = listeners.remove(port);
        if (l == null) {
            return;
        }
        l.close();
        for (FakeTcpConn c : l.conns.values()) {
            c.finish(CloseReason.LOCAL, Bye.RST);
        }
    }

    @Override
    public Conn dial(InetSocketAddress server, ConnHandler handler) throws TransportException {
        if (closed) {
            throw new TransportException("the fake TCP transport is closed");
        }
        InetAddress remote = server.getAddress();
        if (remote == null) {
            throw new TransportException("fake TCP: cannot resolve " + server.getHostString());
        }
        InetAddress localInet = io.sourceAddress(remote);
        if (localInet == null) {
            throw new TransportException("fake TCP: the device has no IPv" + (remote instanceof Inet4Address ? 4 : 6)
                    + " address to reach " + remote.getHostAddress() + " from; pass -d or --lcapIp");
        }
        int localPort = pickPort();
        long now = nowMillis();
        // The SYN's ISN and timestamp value carry a token only a holder of the secret can mint.
        long token = tokens.mint(server.getPort());
        TcpEndpoint ep = TcpEndpoint.connect(opts, mtu, IpAddress.of(localInet), localPort, IpAddress.of(remote), server.getPort(),
                HandshakeTokens.nonce(token), HandshakeTokens.tag(token), random.nextInt(0x10000), now);
        ConnInfo info = new ConnInfo(TYPE, new InetSocketAddress(localInet, localPort), server);
        FakeTcpConn c = new FakeTcpConn(this, ep, handler, info, null);
        try {
            PacketFilter filter = PacketFilter.tcp(localPort, remote, server.getPort());
            c.rule = ctx.firewall().dropInbound(filter);
            c.capture = io.register(filter, captureGuard.guard(c::onCapture));
        } catch (TransportException | RuntimeException e) {
            release(c);
            clientPorts.remove(localPort);
            throw e;
        }
        conns.add(c);
        c.start();
        if (closed) {
            c.finish(CloseReason.SHUTDOWN, Bye.NONE);
        }
        return c;
    }

    private int pickPort() throws TransportException {
        for (int i = 0; i < 1000; i++) {
            int p = EPHEMERAL_LOW + random.nextInt(EPHEMERAL_HIGH - EPHEMERAL_LOW + 1);
            if (clientPorts.add(p)) {
                return p;
            }
        }
        throw new TransportException("no free local port for a fake TCP dial: " + clientPorts.size() + " conns open");
    }

    /**
     * Whether a SYN to {@code port} (an IP packet at {@code ip}, TCP at {@code t}) carries a good
     * handshake token: its ISN and timestamp value, minted by a holder of the secret for this port,
     * fresh, and not seen before. A SYN without timestamps carries none.
     */
    boolean authenticSyn(ByteBuffer syn, int t, int port) {
        int ts = Tcp.findTimestamps(syn, t);
        return ts >= 0 && tokens.verify(HandshakeTokens.of(Tcp.sequence(syn, t), Tcp.tsVal(syn, ts)), port);
    }

    /** An authentic SYN to a listening port from a source with no conn: a new half-open conn, unless too many. */
    void accept(FakeTcpListener l, ByteBuffer syn, int ip) {
        if (closed) {
            return;
        }
        if (halfOpen.incrementAndGet() > opts.halfOpenLimit()) {
            halfOpen.decrementAndGet();
            counters.synDropped.increment();
            return;
        }
        TcpEndpoint ep = TcpEndpoint.accept(opts, mtu, syn, ip, random.nextInt(), random.nextInt(), random.nextInt(0x10000),
                nowMillis());
        InetSocketAddress remote = new InetSocketAddress(ep.remoteAddr.toInetAddress(), ep.remotePort);
        ConnInfo info = new ConnInfo(TYPE, new InetSocketAddress(ep.localAddr.toInetAddress(), l.port), remote);
        FakeTcpConn c = new FakeTcpConn(this, ep, l.handler, info, l);
        if (!l.conns.putIfAbsent(ep.remoteAddr, ep.remotePort, c)) {
            halfOpen.decrementAndGet();
            return;
        }
        conns.add(c);
        c.start();
    }

    /** A server conn stopped being half-open (opened, or gone before). */
    void halfOpenDone() {
        halfOpen.decrementAndGet();
    }

    /** Forgets a finished conn: out of the tables, its capture and firewall rule (client) released. */
    void forget(FakeTcpConn c) {
        conns.remove(c);
        if (c.listener != null) {
            c.listener.conns.remove(c.remoteAddress(), c.remotePort(), c);
            return;
        }
        Runnable release = () -> {
            release(c);
            clientPorts.remove(c.info().local().getPort());
        };
        if (closed) {
            release.run();
            return;
        }
        // Removing the conn's firewall rule runs nft, tens of milliseconds: not on the capture thread
        // (a conn reset there would stop every conn's receiving meanwhile), on the host's timer.
        try {
            ctx.scheduler().execute(release);
        } catch (RejectedExecutionException e) {
            release.run();
        }
    }

    private static void release(FakeTcpConn c) {
        Registration cap = c.capture;
        if (cap != null) {
            cap.close();
        }
        Registration r = c.rule;
        if (r != null) {
            r.close();
        }
    }

    private void tick() {
        try {
            long now = nowMillis();
            for (FakeTcpConn c : conns) {
                c.tick(now);
            }
        } catch (Throwable e) {
            // A periodic task that throws is never run again: log and carry on.
            log.warn("fake TCP timer failed", e);
        }
    }

    @Override
    public int overhead() {
        return TcpEndpoint.OVERHEAD;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ticker != null) {
            ticker.cancel(false);
        }
        List<FakeTcpConn> all = new ArrayList<>(conns);
        for (FakeTcpConn c : all) {
            c.finish(CloseReason.SHUTDOWN, Bye.RST);
        }
        for (FakeTcpListener l : listeners.values()) {
            l.close();
            for (FakeTcpConn c : l.conns.values()) {
                c.finish(CloseReason.SHUTDOWN, Bye.RST);
            }
        }
        listeners.clear();
    }

    long nowMillis() {
        return ctx.nanoTime() / 1_000_000L;
    }

    FakeTcpCounters counters() {
        return counters;
    }

    PacketIO io() {
        return io;
    }

    /** Packet buffers for {@link FakeTcpConn#send(ByteBuffer[], int)}, per sending thread: per conn they would cost 48 KiB each. */
    ByteBuffer[] sendBuffers() {
        return sendBuffers.get();
    }

    int mtu() {
        return mtu;
    }

    boolean verifyChecksum() {
        return opts.verifyChecksum();
    }

    boolean isClosed() {
        return closed;
    }

    /** {@code tcp.stranger=drop}: strangers get nothing, not a closed port's RST. */
    boolean dropsStrangers() {
        return opts.dropStrangers();
    }

    private long rstWindowMs; // guarded by rstLock
    private int rstInWindow;
    private final Object rstLock = new Object();

    /**
     * Whether an RST may answer a segment of an unknown flow now: at most {@code tcp.rst-rate} a
     * second, so a flood of junk is not reflected (nor costs a send per packet). Counted when refused.
     */
    boolean mayReset() {
        long now = nowMillis();
        synchronized (rstLock) {
            if (now - rstWindowMs >= 1000) {
                rstWindowMs = now;
                rstInWindow = 0;
            }
            if (rstInWindow < opts.rstPerSecond()) {
                rstInWindow++;
                return true;
            }
        }
        counters.rstLimited.increment();
        return false;
    }

    /** Half-open server conns now (tests). */
    int halfOpenCount() {
        return halfOpen.get();
    }
}
