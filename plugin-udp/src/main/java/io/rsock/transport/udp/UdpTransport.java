package io.rsock.transport.udp;

import io.rsock.api.CloseReason;
import io.rsock.api.Conn;
import io.rsock.api.ConnHandler;
import io.rsock.api.ConnInfo;
import io.rsock.api.ConnTransport;
import io.rsock.api.TransportContext;
import io.rsock.api.TransportException;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain UDP ({@code --type udp}): each frame is one ordinary UDP datagram through the kernel's
 * sockets. No privileges, no firewall rules, no raw packets; to the ISP it looks like any UDP flow
 * (a game, a VoIP call, WireGuard), which is exactly what a UDP-throttling ISP punishes, so this is
 * the transport for networks that do not.
 *
 * <p>Server: {@link #listen} binds an unconnected socket on the port (on {@code udp.bind}, else every
 * address of both families: one dual-stack socket, IPv4 clients seen as IPv4); each remote endpoint is a conn, made by its first datagram, closed with
 * {@link CloseReason#TIMEOUT} after {@code udp.idle} of silence. Client: {@link #dial} connects a
 * socket of the server address's family from an ephemeral port; the conn is open at once, and an ICMP port unreachable closes it
 * with {@link CloseReason#RESET}. One thread, {@code rsock-udp}, reads every socket into one reused
 * buffer and makes every handler call; {@link Conn#send} writes on the caller's thread.
 *
 * <p>Options: {@code mtu} (default 1500; frames are at most {@code mtu - 28} bytes),
 * {@code udp.max-conns} (per port, default 4096), {@code udp.idle} (default 60s), {@code udp.bind}.
 */
@Extension
public final class UdpTransport implements ConnTransport {
    /** What {@code --type} selects this transport by. */
    public static final String TYPE = "udp";
    /** IPv4 header (20) and UDP header (8). */
    public static final int OVERHEAD = 28;
    /** IPv6 header (40) and UDP header (8). */
    static final int OVERHEAD_V6 = 48;
    /** Largest UDP payload over IPv4. */
    static final int MAX_UDP_PAYLOAD = 65507;
    /** Kernel socket buffers asked for (the kernel caps them at net.core.[rw]mem_max). */
    private static final int SOCKET_BUFFER = 1 << 20;
    private static final Logger log = LoggerFactory.getLogger(UdpTransport.class);

    private TransportContext ctx;
    UdpOptions options;
    UdpCounters counters;
    UdpLoop loop;
    private io.rsock.api.io.DatagramSender sender;
    private int maxFrameSize;
    private ScheduledFuture<?> idleTimer;
    private final Set<Integer> ports = ConcurrentHashMap.newKeySet();
    private volatile boolean started;
    private volatile boolean closed;

    // Loop thread only.
    private final List<UdpListener> listeners = new ArrayList<>();
    private final Set<UdpConn> clients = new HashSet<>();
    private boolean handlerFailureLogged;

    /** A transport to {@link #start}; pf4j makes it through this constructor. */
    public UdpTransport() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean optIn() {
        return false;
    }

    @Override
    public Map<String, String> options() {
        return UdpOptions.KEYS;
    }

    @Override
    public int overhead() {
        return OVERHEAD;
    }

    @Override
    public synchronized void start(TransportContext ctx) throws TransportException {
        if (started) {
            throw new IllegalStateException("the udp transport is started already");
        }
        this.ctx = ctx;
        this.options = UdpOptions.from(ctx);
        this.counters = new UdpCounters(ctx);
        this.maxFrameSize = Math.min(options.mtu() - OVERHEAD, MAX_UDP_PAYLOAD);
        try {
            this.loop = new UdpLoop(ctx.datagramBatch(UdpLoop.BATCH, UdpLoop.BUFFER_SIZE), this::closeEverything);
            this.sender = ctx.datagramSender();
        } catch (IOException e) {
            throw new TransportException("udp: cannot open a selector: " + e.getMessage());
        }
        loop.start();
        long idleMs = options.idle().toMillis();
        long period = Math.max(10, Math.min(idleMs / 4, 5_000));
        idleTimer = ctx.scheduler().scheduleWithFixedDelay(() -> loop.execute(this::expireIdle),
                period, period, TimeUnit.MILLISECONDS);
        started = true;
    }

    @Override
    public void listen(int port, ConnHandler handler) throws TransportException {
        requireRunning();
        if (port < 1 || port > 0xFFFF) {
            throw new TransportException("udp: port " + port + " is out of range");
        }
        if (!ports.add(port)) {
            throw new TransportException("udp: already listening on port " + port);
        }
        InetAddress bind = options.bind();
        InetSocketAddress local = bind == null ? new InetSocketAddress(port) : new InetSocketAddress(bind, port);
        DatagramChannel ch = null;
        try {
            // Every address: the default family, IPv6 with IPv4 mapped in where the host has IPv6 (both families at once).
            ch = bind == null ? DatagramChannel.open() : DatagramChannel.open(family(bind));
            tune(ch);
            ch.bind(local);
            UdpListener l = new UdpListener(this, ch, handler, (InetSocketAddress) ch.getLocalAddress());
            DatagramChannel owned = ch;
            if (!loop.execute(() -> register(l, owned))) {
                throw new TransportException("udp: the transport is closed");
            }
            log.info("udp: listening on {}", describe(local));
        } catch (IOException e) {
            closeQuietly(ch);
            ports.remove(port);
            String why = e instanceof BindException ? "in use or not an address of this host" : e.getMessage();
            throw new TransportException("udp: cannot listen on " + describe(local) + ": " + why
                    + " (pick other --ports, or stop what holds them)");
        } catch (TransportException e) {
            closeQuietly(ch);
            ports.remove(port);
            throw e;
        }
    }

    private void register(UdpListener l, DatagramChannel ch) {
        try {
            l.register();
            listeners.add(l);
        } catch (IOException e) {
            log.warn("udp: cannot watch port {}: {}", l.port(), e.toString());
            closeQuietly(ch);
            ports.remove(l.port());
        }
    }

    @Override
    public void unlisten(int port) throws TransportException {
        requireRunning();
        // The listener and its conns belong to the loop thread: close them there.
        if (!loop.execute(() -> {
            for (UdpListener l : new ArrayList<>(listeners)) {
                if (l.port() == port) {
                    l.closeAll(CloseReason.LOCAL);
                }
            }
        })) {
            throw new TransportException("udp: the transport is closed");
        }
    }

    @Override
    public Conn dial(InetSocketAddress server, ConnHandler handler) throws TransportException {
        requireRunning();
        if (server.isUnresolved()) {
            throw new TransportException("udp: cannot resolve " + server.getHostString());
        }
        DatagramChannel ch = null;
        try {
            ch = DatagramChannel.open(family(server.getAddress()));
            tune(ch);
            ch.connect(server);
            UdpConn conn = new UdpConn(this, null, ch,
                    new ConnInfo(TYPE, (InetSocketAddress) ch.getLocalAddress(), server), handler, maxFrameSize(server.getAddress()));
            DatagramChannel owned = ch;
            if (!loop.execute(() -> registerClient(conn, owned))) {
                throw new TransportException("udp: the transport is closed");
            }
            return conn;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new TransportException("udp: cannot open a socket to " + describe(server) + ": " + e.getMessage());
        } catch (TransportException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private void registerClient(UdpConn conn, DatagramChannel ch) {
        if (!conn.isOpen()) {
            return; // closed before it got here: the close's own task reports it
        }
        try {
            conn.key = ch.register(loop.selector(), SelectionKey.OP_READ, conn);
        } catch (IOException e) {
            clients.add(conn);
            conn.terminate(CloseReason.ERROR);
            return;
        }
        clients.add(conn);
        reportOpened(conn);
    }

    /** Closes every conn (reporting {@link CloseReason#SHUTDOWN}) and socket, and ends the thread before returning. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed || !started) {
                closed = true;
                return;
            }
            closed = true;
        }
        idleTimer.cancel(false);
        loop.stop();
    }

    // ---------------------------------------------------------------------------------------------
    // For the conns and listeners

    /** Largest frame to {@code peer}: one unfragmented datagram of {@code mtu}, less the IPv4 or IPv6 and UDP headers. */
    int maxFrameSize(InetAddress peer) {
        return peer instanceof Inet4Address ? maxFrameSize : maxFrameSize - (OVERHEAD_V6 - OVERHEAD);
    }

    long nanoTime() {
        return ctx.nanoTime();
    }

    /** Runs {@code task} on the loop thread (at once if this is it), or {@code ifEnded} here if the loop has ended. */
    void onLoop(Runnable task, Runnable ifEnded) {
        if (loop.inLoop()) {
            task.run();
        } else if (!loop.execute(task)) {
            ifEnded.run();
        }
    }

    /** How conns send batches: the host's, one system call per run of same-size frames where it can. */
    io.rsock.api.io.DatagramSender sender() {
        return sender;
    }

    void deliver(UdpConn c, ByteBuffer frame) {
        try {
            c.handler.received(c, frame);
        } catch (RuntimeException e) {
            handlerFailed(e);
        }
    }

    void reportOpened(UdpConn c) {
        try {
            c.handler.opened(c);
        } catch (RuntimeException e) {
            handlerFailed(e);
        }
    }

    void reportClosed(UdpConn c, CloseReason why) {
        try {
            c.handler.closed(c, why);
        } catch (RuntimeException e) {
            handlerFailed(e);
        }
    }

    void forgetClient(UdpConn c) {
        clients.remove(c);
    }

    void forgetListener(UdpListener l) {
        listeners.remove(l);
        ports.remove(l.port());
    }

    private void handlerFailed(RuntimeException e) {
        counters.handlerErrors.increment();
        if (!handlerFailureLogged) {
            handlerFailureLogged = true;
            log.warn("udp: a conn handler threw (counted in udp.handler_errors, logged once)", e);
        }
    }

    private void expireIdle() {
        long before = ctx.nanoTime() - options.idle().toNanos();
        for (UdpListener l : listeners) {
            l.expireIdle(before);
        }
    }

    /** On the loop thread as it ends. */
    private void closeEverything() {
        for (UdpListener l : new ArrayList<>(listeners)) {
            l.closeAll(CloseReason.SHUTDOWN);
        }
        for (UdpConn c : new ArrayList<>(clients)) {
            c.terminate(CloseReason.SHUTDOWN);
        }
        listeners.clear();
        clients.clear();
    }

    private void requireRunning() throws TransportException {
        if (!started) {
            throw new IllegalStateException("start() the udp transport first");
        }
        if (closed) {
            throw new TransportException("udp: the transport is closed");
        }
    }

    private static ProtocolFamily family(InetAddress a) {
        return a == null || a instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    }

    private static void tune(DatagramChannel ch) throws IOException {
        ch.configureBlocking(false);
        try {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
        } catch (IOException | UnsupportedOperationException e) {
            // the kernel's defaults then
        }
    }

    private static void closeQuietly(DatagramChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing left to do
            }
        }
    }

    private static String describe(InetSocketAddress a) {
        return ConnInfo.endpoint(a);
    }
}
