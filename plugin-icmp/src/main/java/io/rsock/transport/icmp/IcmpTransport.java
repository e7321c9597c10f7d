package io.rsock.transport.icmp;

import io.rsock.api.CloseReason;
import io.rsock.api.Conn;
import io.rsock.api.ConnHandler;
import io.rsock.api.ConnInfo;
import io.rsock.api.ConnTransport;
import io.rsock.api.TransportContext;
import io.rsock.api.TransportException;
import io.rsock.api.codec.Icmp;
import io.rsock.api.codec.IpAddress;
import io.rsock.api.packet.PacketFilter;
import io.rsock.api.packet.PacketIO;
import io.rsock.api.packet.PacketReceiver;
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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ICMP echo ({@code --type icmp}): frames travel client to server in echo requests and server to
 * client in echo replies, over raw packets ({@link PacketIO}), so that a network that lets ping
 * through carries the tunnel. Each {@link #dial} is one conn with its own random echo identifier;
 * sequence numbers increase per request. The server answers only requests it received, each at most
 * once and within {@code icmp.request-max-age} (20 s, inside conntrack's 30 s), with the identifier
 * and sequence number of the request: what a NAT or conntrack router expects of a ping. The client
 * keeps {@code icmp.credit} empty requests outstanding so the server always has requests to answer
 * (see {@link EchoClient} and {@link EchoServer}).
 *
 * <p>ICMP has no ports: the server's first {@link #listen} captures every inbound echo request and
 * takes conns whatever port the client dialled; later calls (the host calls it for every port of
 * {@code --ports}) are accepted and do nothing more.
 *
 * <p>The kernel answers echo requests itself. Ordinary pings must keep being answered, so the server
 * drops (through the host's firewall) only the echo requests of authenticated conns, one rule per
 * (client address, identifier), installed on a thread of this transport when the host first sends on
 * the conn and removed when the conn closes. Until the rule is in, the kernel answers a conn's first
 * requests too; the client recognises those echoes and drops them ({@code icmp.drop_kernel_echo}).
 * The client needs no rule: a Linux kernel drops echo replies that no ping socket waits for.
 *
 * <p>Both families: over IPv6 the same conns travel in ICMPv6 echoes (types 128 and 129, their
 * checksum over the IPv6 pseudo-header); a dial takes the family of the server's address, the
 * server captures the echo requests of both, and each conn's frames fit the path MTU a router
 * reported.
 *
 * <p>Threads: the rule installer (one, started on demand, gone after two idle seconds and at close).
 * Packets arrive on the capture thread; timers run in one periodic task on the host's scheduler.
 *
 * <p>Options ({@code --opt icmp.<key>=<value>}): see {@link IcmpOptions}.
 */
@Extension
public final class IcmpTransport implements ConnTransport {
    /** What {@code --type} selects this transport by. */
    public static final String TYPE = "icmp";
    /** How often the timers run. */
    static final long TICK_MILLIS = 10;
    private static final Logger log = LoggerFactory.getLogger(IcmpTransport.class);

    private TransportContext ctx;
    private PacketIO io;
    private IcmpOptions opts;
    private IcmpCounters counters;
    private int mtu;
    private ScheduledFuture<?> ticker;
    private ThreadPoolExecutor rules;
    /** Identifiers, first sequence numbers and IP ids: unpredictable to a blind attacker. Thread-safe. */
    private final SecureRandom random = new SecureRandom();
    private volatile IcmpListener listener;
    private final Set<IcmpClientConn> clientConns = ConcurrentHashMap.newKeySet();
    private final Set<IcmpServerConn> serverConns = ConcurrentHashMap.newKeySet();
    private final Set<Integer> identifiers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger serverConnCount = new AtomicInteger();
    private volatile boolean closed;
    private CaptureGuard captureGuard;
    private volatile boolean ruleFailureLogged;

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, String> options() {
        return IcmpOptions.KEYS;
    }

    @Override
    public void start(TransportContext ctx) throws TransportException {
        this.ctx = ctx;
        this.opts = IcmpOptions.from(ctx);
        this.io = ctx.packets();
        this.mtu = io.mtu();
        if (mtu < Icmp.ECHO_HEADERS + 64) {
            throw new TransportException("ICMP needs an MTU of at least " + (Icmp.ECHO_HEADERS + 64) + " bytes, the device has " + mtu);
        }
        this.counters = new IcmpCounters(ctx);
        this.captureGuard = new CaptureGuard(ctx, "icmp.receiver_errors");
        this.rules = new ThreadPoolExecutor(0, 1, 2, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "rsock-icmp-rules");
            t.setDaemon(true);
            return t;
        });
        this.ticker = ctx.scheduler().scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Captures every inbound echo request, ICMP and ICMPv6, and accepts conns from any client,
     * whatever {@code port} (ICMP has none). The first call does it; later calls, for the other ports
     * of {@code --ports}, succeed and change nothing (conns go to the first call's handler).
     */
    /** ICMP has no ports: the one capture serves every port listened on, so there is nothing to stop. */
    @Override
    public void unlisten(int port) {
    }

    @Override
    public synchronized void listen(int port, ConnHandler handler) throws TransportException {
        if (port <= 0 || port > 0xFFFF) {
            throw new TransportException("cannot listen on port " + port);
        }
        if (closed) {
            throw new TransportException("the ICMP transport is closed");
        }
        if (listener != null) {
            return;
        }
        IcmpListener l = new IcmpListener(this, handler);
        PacketReceiver guarded = captureGuard.guard(l);
        l.capture = io.register(new PacketFilter(PacketFilter.ICMP, 0, (InetAddress) null, 0), guarded);
        try {
            l.capture6 = io.register(new PacketFilter(PacketFilter.ICMPV6, 0, (InetAddress) null, 0), guarded);
        } catch (TransportException | RuntimeException e) {
            l.close();
            throw e;
        }
        listener = l;
    }

    @Override
    public Conn dial(InetSocketAddress server, ConnHandler handler) throws TransportException {
        if (closed) {
            throw new TransportException("the ICMP transport is closed");
        }
        InetAddress remote = server.getAddress();
        if (remote == null) {
            throw new TransportException("ICMP: cannot resolve " + server.getHostString());
        }
        boolean v4 = remote instanceof Inet4Address;
        InetAddress localInet = io.sourceAddress(remote);
        if (localInet == null) {
            throw new TransportException("ICMP: the device has no IPv" + (v4 ? 4 : 6) + " address to reach "
                    + remote.getHostAddress() + " from; pass -d or --lcapIp");
        }
        int id = pickIdentifier();
        int firstSeq = random.nextInt(0x10000);
        EchoClient ec = new EchoClient(opts, id, firstSeq, nowMillis());
        ConnInfo info = new ConnInfo(TYPE, new InetSocketAddress(localInet, id), new InetSocketAddress(remote, id));
        EchoPath path = new EchoPath(IpAddress.of(localInet), IpAddress.of(remote), random.nextInt(0x10000), mtu);
        IcmpClientConn c = new IcmpClientConn(this, ec, handler, info, path);
        try {
            c.capture = io.register(new PacketFilter(v4 ? PacketFilter.ICMP : PacketFilter.ICMPV6, id, remote, 0),
                    captureGuard.guard(c::onCapture));
        } catch (TransportException | RuntimeException e) {
            identifiers.remove(id);
            throw e;
        }
        clientConns.add(c);
        if (closed) {
            c.finish(CloseReason.SHUTDOWN);
            return c;
        }
        // Connectionless: the conn can carry frames at once. Reported from a transport thread, after dial returns.
        ctx.scheduler().execute(() -> {
            if (c.isOpen()) {
                try {
                    handler.opened(c);
                } catch (RuntimeException e) {
                    handlerFailed(e);
                }
            }
        });
        return c;
    }

    private int pickIdentifier() throws TransportException {
        for (int i = 0; i < 1000; i++) {
            int id = 1 + random.nextInt(0xFFFF);
            if (identifiers.add(id)) {
                return id;
            }
        }
        throw new TransportException("no free ICMP identifier for a dial: " + identifiers.size() + " conns open");
    }

    /**
     * A request with a payload from a flow with no conn: a new conn, answering from the address the
     * request was sent to, unless too many; null when refused (counted).
     */
    IcmpServerConn accept(IcmpListener l, ByteBuffer b, int ip, int i) {
        if (serverConnCount.incrementAndGet() > opts.maxConns()) {
            serverConnCount.decrementAndGet();
            counters.connLimit.increment();
            return null;
        }
        IpAddress source = IpAddress.source(b, ip);
        int id = Icmp.identifier(b, i);
        IpAddress local = IpAddress.destination(b, ip);
        ConnInfo info = new ConnInfo(TYPE, new InetSocketAddress(local.toInetAddress(), id),
                new InetSocketAddress(source.toInetAddress(), id));
        EchoPath path = new EchoPath(local, source, random.nextInt(0x10000), mtu);
        IcmpServerConn c = new IcmpServerConn(this, l, path, id, info, nowMillis());
        if (!l.conns.putIfAbsent(source, id, c)) {
            serverConnCount.decrementAndGet();
            return l.conns.get(source, id);
        }
        serverConns.add(c);
        try {
            l.handler.opened(c);
        } catch (RuntimeException e) {
            handlerFailed(e);
        }
        return c;
    }

    /** Installs, off the packet path, the rule that keeps the kernel from answering this conn's requests. */
    void installRule(IcmpServerConn c) {
        IpAddress remote = c.path.remote;
        PacketFilter filter = new PacketFilter(remote.isV6() ? PacketFilter.ICMPV6 : PacketFilter.ICMP, c.identifier,
                remote.toInetAddress(), 0);
        runRuleTask(() -> {
            if (c.isFinished()) {
                return;
            }
            try {
                Registration r = ctx.firewall().dropInbound(filter);
                counters.rulesInstalled.increment();
                if (!c.keepRule(r)) {
                    r.close();
                }
            } catch (TransportException | RuntimeException e) {
                counters.ruleFailures.increment();
                if (!ruleFailureLogged) {
                    ruleFailureLogged = true;
                    log.warn("ICMP: cannot keep the kernel from answering the tunnel's echo requests ({}); the tunnel works, "
                            + "the clients drop the kernel's echoes (logged once; counted in icmp.rule_failures)", e.getMessage());
                }
            }
        });
    }

    void removeRule(Registration r) {
        runRuleTask(r::close);
    }

    private void runRuleTask(Runnable task) {
        try {
            rules.execute(task);
        } catch (RejectedExecutionException e) {
            task.run(); // closing: do it here
        }
    }

    /** Forgets a finished client conn: out of the tables, its capture released. */
    void forget(IcmpClientConn c) {
        clientConns.remove(c);
        Registration cap = c.capture;
        if (cap != null) {
            cap.close();
        }
        identifiers.remove(c.identifier());
    }

    /** Forgets a finished server conn; a flow that never authenticated is refused for a while. */
    void forget(IcmpServerConn c, boolean authenticated) {
        if (serverConns.remove(c)) {
            serverConnCount.decrementAndGet();
        }
        c.listener.conns.remove(c.path.remote, c.identifier, c);
        if (!authenticated) {
            c.listener.refuse(c.path.remote, c.identifier, nowMillis());
        }
    }

    void reportClosed(ConnHandler handler, Conn c, CloseReason why) {
        try {
            handler.closed(c, why);
        } catch (RuntimeException e) {
            handlerFailed(e);
        }
    }

    private void tick() {
        try {
            long now = nowMillis();
            for (IcmpClientConn c : clientConns) {
                c.tick(now);
            }
            for (IcmpServerConn c : serverConns) {
                c.tick(now);
            }
        } catch (Throwable e) {
            // A periodic task that throws is never run again: log and carry on.
            log.warn("ICMP timer failed", e);
        }
    }

    @Override
    public int overhead() {
        return Icmp.ECHO_HEADERS;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (ticker != null) {
            ticker.cancel(false);
        }
        IcmpListener l = listener;
        if (l != null) {
            l.close();
        }
        for (IcmpClientConn c : new ArrayList<>(clientConns)) {
            c.finish(CloseReason.SHUTDOWN);
        }
        List<IcmpServerConn> all = new ArrayList<>(serverConns);
        for (IcmpServerConn c : all) {
            c.finish(CloseReason.SHUTDOWN);
        }
        if (rules != null) {
            rules.shutdown();
            try {
                if (!rules.awaitTermination(10, TimeUnit.SECONDS)) {
                    log.warn("ICMP: firewall rules still being removed after 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void handlerFailed(RuntimeException e) {
        log.warn("ICMP: a conn handler threw", e);
    }

    long nowMillis() {
        return ctx.nanoTime() / 1_000_000L;
    }

    IcmpCounters counters() {
        return counters;
    }

    IcmpOptions settings() {
        return opts;
    }

    PacketIO io() {
        return io;
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
}
