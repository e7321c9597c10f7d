package org.example.rsock.dns;

import io.rsock.api.CloseReason;
import io.rsock.api.Conn;
import io.rsock.api.ConnHandler;
import io.rsock.api.ConnInfo;
import io.rsock.api.ConnTransport;
import io.rsock.api.Counter;
import io.rsock.api.TransportContext;
import io.rsock.api.TransportException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DNS ({@code --type dns}, with {@code -p 53} on both sides): the client sends each frame as a DNS
 * query for a TXT record, the frame base32-encoded in the name's labels; the server answers with
 * DNS responses whose TXT record holds the frame. Over the kernel's UDP sockets: no raw packets,
 * no firewall rules, and through a network that lets nothing but DNS out.
 *
 * <p>What the ISP sees: a client asking one server lots of TXT questions about names under
 * {@code dns.domain}, and getting answers. That passes a port-53 filter and a NAT; it does not
 * pass a resolver (the server must be reachable directly on 53) nor a DPI box that checks names
 * against real zones.
 *
 * <p>Frames are small upstream (at most 146 bytes in a query with the default domain: a DNS name
 * has 255 bytes) and large downstream (a response's TXT record carries up to about 1 400). The host
 * splits larger datagrams into fragments by {@link Conn#maxFrameSize()}, so any datagram up to a
 * few kilobytes gets through, in more packets.
 *
 * <p>Options: {@code dns.domain} (default {@code t.rsock.example}), {@code mtu} (default 1500),
 * {@code dns.idle} (a server conn silent this long closes, default 60s), {@code dns.max-conns}
 * (per port, default 4096).
 */
@Extension
public final class DnsTransport implements ConnTransport {
    /** What {@code --type} selects this transport by. */
    public static final String TYPE = "dns";
    /** IPv4 and UDP headers. */
    static final int IP_UDP = 28;
    private static final Logger log = LoggerFactory.getLogger(DnsTransport.class);

    DnsCodec codec;
    Counters counters;
    int maxConns;
    int maxQueryFrame;
    int maxResponseFrame;
    private TransportContext ctx;
    private long idleNanos;
    private ScheduledFuture<?> idleTimer;
    private final Map<Integer, DnsListener> listeners = new ConcurrentHashMap<>();
    private final Set<DnsConn> clients = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<ByteBuffer> scratch = new ThreadLocal<>();
    private volatile boolean started;
    private volatile boolean closed;

    /** pf4j makes the transport through this constructor. */
    public DnsTransport() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** What {@code --opt} may set; the host refuses a mistyped key instead of running with the default. */
    @Override
    public Map<String, String> options() {
        return Map.of(
                "dns.domain", "the domain queries are names under (default t.rsock.example)",
                "dns.max-conns", "server conns at most (default 4096)",
                "dns.idle", "a conn silent this long is closed (default 60s)",
                "mtu", "path MTU in bytes, IP header included (default 1500)");
    }

    /** Left out of {@code --type all}: DNS is a last resort, for networks where nothing else goes out. */
    @Override
    public boolean optIn() {
        return true;
    }

    @Override
    public int overhead() {
        return codec == null ? IP_UDP + new DnsCodec("t.rsock.example").responseFixed() : IP_UDP + codec.responseFixed();
    }

    @Override
    public synchronized void start(TransportContext ctx) throws TransportException {
        if (started) {
            throw new IllegalStateException("the dns transport is started already");
        }
        try {
            codec = new DnsCodec(ctx.option("dns.domain").orElse("t.rsock.example"));
        } catch (IllegalArgumentException e) {
            throw new TransportException(e.getMessage());
        }
        int mtu = intOption(ctx, "mtu", 1500, 576, 65535);
        maxConns = intOption(ctx, "dns.max-conns", 4096, 1, 1 << 20);
        idleNanos = durationNanos(ctx, "dns.idle", TimeUnit.SECONDS.toNanos(60));
        maxQueryFrame = codec.maxQueryFrame();
        maxResponseFrame = codec.maxResponseFrame(mtu - IP_UDP);
        counters = new Counters(ctx);
        this.ctx = ctx;
        long period = Math.max(10, Math.min(TimeUnit.NANOSECONDS.toMillis(idleNanos) / 4, 5_000));
        idleTimer = ctx.scheduler().scheduleWithFixedDelay(this::expireIdle, period, period, TimeUnit.MILLISECONDS);
        started = true;
    }

    @Override
    public void listen(int port, ConnHandler handler) throws TransportException {
        requireRunning();
        if (port < 1 || port > 0xFFFF) {
            throw new TransportException("dns: port " + port + " is out of range");
        }
        DatagramChannel ch = null;
        try {
            ch = DatagramChannel.open(StandardProtocolFamily.INET);
            tune(ch);
            ch.bind(new InetSocketAddress(port));
            DnsListener l = new DnsListener(this, ch, handler, (InetSocketAddress) ch.getLocalAddress());
            if (listeners.putIfAbsent(port, l) != null) {
                ch.close();
                throw new TransportException("dns: already listening on port " + port);
            }
            l.start();
            log.info("dns: listening on port {} (frames up to {} B in queries, {} B in responses)", port,
                    maxQueryFrame, maxResponseFrame);
        } catch (IOException e) {
            close(ch);
            listeners.remove(port);
            String why = e instanceof BindException ? "in use, or needs root / CAP_NET_BIND_SERVICE below 1024" : e.getMessage();
            throw new TransportException("dns: cannot listen on UDP port " + port + ": " + why);
        }
    }

    @Override
    public Conn dial(InetSocketAddress server, ConnHandler handler) throws TransportException {
        requireRunning();
        if (server.isUnresolved()) {
            throw new TransportException("dns: cannot resolve " + server.getHostString());
        }
        DatagramChannel ch = null;
        try {
            ch = DatagramChannel.open(StandardProtocolFamily.INET);
            tune(ch);
            ch.connect(server);
            DnsConn conn = new DnsConn(this, null, ch, new ConnInfo(TYPE, (InetSocketAddress) ch.getLocalAddress(), server),
                    handler, maxQueryFrame);
            conn.id = (int) (System.nanoTime() & 0xFFFF);
            ByteBuffer frame = ByteBuffer.allocate(maxResponseFrame + 1);
            conn.reader = new DnsReader(ch, new DnsReader.Sink() {
                @Override
                public void datagram(ByteBuffer datagram, java.net.SocketAddress from) {
                    frame.clear();
                    if (codec.decodeResponse(datagram, frame) < 0) {
                        counters.badMessages.increment();
                        return;
                    }
                    frame.flip();
                    report(() -> handler.received(conn, frame));
                }

                @Override
                public void failed(IOException e) {
                    conn.terminate(e instanceof java.net.PortUnreachableException ? CloseReason.RESET : CloseReason.ERROR);
                }
            }, "rsock-dns-" + conn.info().local().getPort());
            clients.add(conn);
            if (closed) {
                conn.terminate(CloseReason.SHUTDOWN);
                return conn;
            }
            conn.reader.start();
            report(() -> handler.opened(conn)); // connectionless: open at once
            return conn;
        } catch (IOException e) {
            close(ch);
            throw new TransportException("dns: cannot open a socket to " + server + ": " + e.getMessage());
        }
    }

    /** Closes every conn (reporting {@link CloseReason#SHUTDOWN}) and socket; the threads have ended when it returns. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (idleTimer != null) {
            idleTimer.cancel(false);
        }
        for (DnsListener l : new ArrayList<>(listeners.values())) {
            l.close(CloseReason.SHUTDOWN);
        }
        for (DnsConn c : new ArrayList<>(clients)) {
            c.terminate(CloseReason.SHUTDOWN);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // For the conns and listeners

    /** A buffer for one outgoing message, per sending thread: no allocation per frame. */
    ByteBuffer scratch() {
        ByteBuffer b = scratch.get();
        if (b == null) {
            b = ByteBuffer.allocateDirect(Math.max(codec.maxQueryMessage(), maxResponseFrame + codec.responseFixed() + 16));
            scratch.set(b);
        }
        return b;
    }

    long nanoTime() {
        return ctx.nanoTime();
    }

    /** Calls the host's handler; an exception from it is counted and never kills a reader thread. */
    void report(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            if (counters.handlerErrors.get() == 0) {
                log.warn("dns: a conn handler threw (counted in dns.handler_errors, logged once)", e);
            }
            counters.handlerErrors.increment();
        }
    }

    void forgetClient(DnsConn c) {
        clients.remove(c);
    }

    void forgetListener(DnsListener l) {
        listeners.remove(l.port(), l);
    }

    private void expireIdle() {
        long before = ctx.nanoTime() - idleNanos;
        for (DnsListener l : listeners.values()) {
            l.expireIdle(before);
        }
    }

    private void requireRunning() throws TransportException {
        if (!started) {
            throw new IllegalStateException("start() the dns transport first");
        }
        if (closed) {
            throw new TransportException("dns: the transport is closed");
        }
    }

    private static void tune(DatagramChannel ch) throws IOException {
        try {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
        } catch (IOException | UnsupportedOperationException e) {
            // the kernel's defaults then
        }
    }

    private static void close(DatagramChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing left to do
            }
        }
    }

    private static int intOption(TransportContext ctx, String key, int dflt, int min, int max) throws TransportException {
        String v = ctx.option(key).orElse(null);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new TransportException("--opt " + key + ": expected a whole number from " + min + " to " + max + ", got '" + v + "'");
    }

    private static long durationNanos(TransportContext ctx, String key, long dflt) throws TransportException {
        String v = ctx.option(key).orElse(null);
        if (v == null) {
            return dflt;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m)").matcher(v.trim());
        if (m.matches() && Long.parseLong(m.group(1)) > 0) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> TimeUnit.MILLISECONDS.toNanos(n);
                case "s" -> TimeUnit.SECONDS.toNanos(n);
                default -> TimeUnit.MINUTES.toNanos(n);
            };
        }
        throw new TransportException("--opt " + key + ": expected a positive duration such as 500ms, 30s or 2m, got '" + v + "'");
    }

    /** The transport's counters ({@code rsock status}, metrics), looked up once. */
    static final class Counters {
        /** Datagrams that were not a DNS message of this transport (strangers, scanners, garbage). */
        final Counter badMessages;
        final Counter connsRejected;
        final Counter connsExpired;
        final Counter sendFull;
        final Counter sendTooLarge;
        final Counter sendErrors;
        final Counter receiveErrors;
        final Counter handlerErrors;

        Counters(TransportContext ctx) {
            badMessages = ctx.counter("dns.bad_messages");
            connsRejected = ctx.counter("dns.conns_rejected");
            connsExpired = ctx.counter("dns.conns_expired");
            sendFull = ctx.counter("dns.send_full");
            sendTooLarge = ctx.counter("dns.send_too_large");
            sendErrors = ctx.counter("dns.send_errors");
            receiveErrors = ctx.counter("dns.receive_errors");
            handlerErrors = ctx.counter("dns.handler_errors");
        }
    }
}
