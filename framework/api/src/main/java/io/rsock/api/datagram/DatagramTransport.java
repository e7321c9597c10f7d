package io.rsock.api.datagram;

import io.rsock.api.CloseReason;
import io.rsock.api.Conn;
import io.rsock.api.ConnHandler;
import io.rsock.api.ConnInfo;
import io.rsock.api.ConnTransport;
import io.rsock.api.Role;
import io.rsock.api.TransportContext;
import io.rsock.api.TransportException;
import io.rsock.api.io.DatagramBatch;
import io.rsock.api.io.QueueBudget;
import io.rsock.api.io.DatagramSender;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transport over the kernel's UDP sockets, complete but for its wire format: a subclass says how a
 * frame becomes one datagram ({@link #encode}) and how a datagram gives back its frame
 * ({@link #decode}), and may read options of its own ({@link #configure}, declared in
 * {@link #ownOptions}). The base does everything
 * else every datagram transport needs, the same way for all of them:
 *
 * <ul>
 *   <li>one I/O thread, {@code rsock-<type>}, reading every socket in batches (one {@code recvmmsg}
 *       where the host can) and making every handler call;</li>
 *   <li>server: one socket per {@link #listen}ed port (on {@code <type>.bind}, else every address),
 *       demultiplexed by remote endpoint into conns, at most {@code <type>.max-conns} per port, each
 *       closed with {@link CloseReason#TIMEOUT} after {@code <type>.idle} of silence; a new remote
 *       gets a conn only if the host admits its first frame ({@link ConnHandler#admits}), so a
 *       stranger's junk takes no conn slot;</li>
 *   <li>client: one connected socket per {@link #dial}, open at once; an ICMP port unreachable
 *       closes it with {@link CloseReason#RESET};</li>
 *   <li>sends straight from the caller's thread, batches as one system call for datagrams of one
 *       size ({@code UDP_SEGMENT}) where the host can, with a guard that keeps a socket from being
 *       closed under a batched send;</li>
 *   <li>each conn's largest frame from the path MTU ({@link TransportContext#pathMtu}), declared
 *       counters under the type (datagrams not ours, truncated, refused, expired, errors), and a
 *       {@link #close} that ends the thread and reports {@code closed} once per conn.</li>
 * </ul>
 *
 * <p>Plain UDP is {@code encode} returning the frame itself and {@code decode} returning 0. Encoding
 * allocates nothing: {@code encode} writes into a buffer of the sending thread, {@code decode}
 * changes the datagram in place.
 */
public abstract class DatagramTransport implements ConnTransport {
    /** What {@link #decode} returns for a datagram that is not this transport's: dropped and counted. */
    public static final long NOT_OURS = -1;
    /** IPv4 header (20) and UDP header (8): what {@link #overhead()} is for a transport that adds nothing. */
    public static final int IPV4_UDP = 28;
    /** IPv6 header (40) and UDP header (8). */
    static final int IPV6_UDP = 48;
    /** Largest UDP payload over IPv4. */
    static final int MAX_DATAGRAM = 65507;
    /** Kernel socket buffers asked for (the kernel caps them at net.core.[rw]mem_max); receive: at most a {@link QueueBudget}. */
    private static final int SOCKET_BUFFER = 1 << 20;
    private static final Logger log = LoggerFactory.getLogger(DatagramTransport.class);

    private final String type;
    private final ThreadLocal<SendScratch> scratch = ThreadLocal.withInitial(SendScratch::new);
    private final Set<Integer> ports = ConcurrentHashMap.newKeySet();
    private TransportContext ctx;
    DatagramOptions options;
    DatagramCounters counters;
    private IoLoop loop;
    private DatagramSender sender;
    private ScheduledFuture<?> idleTimer;
    private volatile boolean started;
    private volatile boolean closed;

    // I/O thread only.
    private final List<DatagramListener> listeners = new ArrayList<>();
    private final Set<DatagramConn> clients = new HashSet<>();
    private boolean handlerFailureLogged;
    private boolean decodeFailureLogged;

    /** @param type what {@code --type} selects this transport by, and the prefix of its options and counters */
    protected DatagramTransport(String type) {
        this.type = type;
    }

    // ---------------------------------------------------------------------------------------------
    // What a subclass writes

    /**
     * Makes the datagram that carries {@code frame} (its bytes from position to limit) on
     * {@code conn}: either write it into {@code out} (cleared, room for
     * {@link DatagramConn#maxDatagramSize()} bytes) and return {@code out} flipped, or return
     * {@code frame} itself when the datagram is the frame. Called on the sending thread, any number
     * at once; {@code frame}'s position and limit are restored afterwards. Never blocks.
     */
    protected abstract ByteBuffer encode(DatagramConn conn, ByteBuffer frame, ByteBuffer out);

    /**
     * Finds the frame in {@code datagram}, in place: move its position and limit to the frame,
     * changing bytes in place as the format needs (the buffer is the transport's own). Called on the
     * I/O thread, for every datagram received.
     *
     * @param end {@link Role#SERVER} for a datagram that arrived at a listening port,
     *     {@link Role#CLIENT} for one that arrived on a dialled conn
     * @return a tag of 0 or more that the conn keeps as {@link DatagramConn#tag()} (0 when the format
     *     has no use for one), or {@link #NOT_OURS} for anything that is not this transport's: it is
     *     dropped and counted in {@code <type>.bad_datagrams}, and makes no conn
     */
    protected abstract long decode(Role end, ByteBuffer datagram);

    /**
     * Reads the subclass's own options (each declared in {@link #ownOptions}) and declares its
     * counters, in {@link #start}, before any conn exists. Throw a {@link TransportException} that names the option and says what is
     * expected: the user reads it as is.
     */
    protected void configure(TransportContext ctx) throws TransportException {
    }

    /**
     * The option keys {@link #configure} reads, each whole ({@code "dns.domain"}) with a one-line
     * description; the base declares its own ({@code <type>.max-conns}, {@code <type>.idle},
     * {@code <type>.bind}) in {@link #options()}. None by default.
     */
    protected Map<String, String> ownOptions() {
        return Map.of();
    }

    /**
     * The largest frame a conn with this {@code end} carries in one datagram of at most
     * {@code maxDatagram} bytes. By default what {@code maxDatagram} leaves after the bytes this
     * transport adds ({@link #overhead()} beyond {@link #IPV4_UDP}).
     */
    protected int maxFrameSize(Role end, int maxDatagram) {
        return maxDatagram - (overhead() - IPV4_UDP);
    }

    /** IPv4 and UDP headers; a subclass whose datagrams carry more than the frame adds its own bytes. */
    @Override
    public int overhead() {
        return IPV4_UDP;
    }

    /** The context given to {@link #start}, for a subclass's own needs (its counters, its options). */
    protected final TransportContext context() {
        return ctx;
    }

    // ---------------------------------------------------------------------------------------------
    // The transport

    @Override
    public final String type() {
        return type;
    }

    /** The base's keys and the subclass's ({@link #ownOptions()}): every key this transport reads. */
    @Override
    public final Map<String, String> options() {
        Map<String, String> all = new HashMap<>(DatagramOptions.keys(type));
        all.putAll(ownOptions());
        return Map.copyOf(all);
    }

    @Override
    public final synchronized void start(TransportContext ctx) throws TransportException {
        if (started) {
            throw new IllegalStateException("the " + type + " transport is started already");
        }
        this.ctx = ctx;
        this.options = DatagramOptions.from(ctx, type);
        this.counters = new DatagramCounters(ctx, type);
        configure(ctx);
        try {
            this.loop = new IoLoop(type, ctx.datagramBatch(IoLoop.BATCH, IoLoop.BUFFER_SIZE), this::closeEverything);
            this.sender = ctx.datagramSender();
        } catch (IOException e) {
            throw new TransportException(type + ": cannot open a selector: " + e.getMessage());
        }
        loop.start();
        long idleMs = options.idle().toMillis();
        long period = Math.max(10, Math.min(idleMs / 4, 5_000));
        idleTimer = ctx.scheduler().scheduleWithFixedDelay(() -> loop.execute(this::expireIdle),
                period, period, TimeUnit.MILLISECONDS);
        started = true;
    }

    @Override
    public final void listen(int port, ConnHandler handler) throws TransportException {
        requireRunning();
        if (port < 1 || port > 0xFFFF) {
            throw new TransportException(type + ": port " + port + " is out of range");
        }
        if (!ports.add(port)) {
            throw new TransportException(type + ": already listening on port " + port);
        }
        InetAddress bind = options.bind();
        InetSocketAddress local = bind == null ? new InetSocketAddress(port) : new InetSocketAddress(bind, port);
        DatagramChannel ch = null;
        try {
            // Every address: the default family, IPv6 with IPv4 mapped in where the host has IPv6, so
            // clients of both families reach the one socket (NIO reports IPv4 ones as IPv4).
            ch = bind == null ? DatagramChannel.open() : DatagramChannel.open(family(bind));
            tune(ch);
            ch.bind(local);
            DatagramListener l = new DatagramListener(this, ch, handler, (InetSocketAddress) ch.getLocalAddress());
            DatagramChannel owned = ch;
            if (!loop.execute(() -> register(l, owned))) {
                throw new TransportException(type + ": the transport is closed");
            }
            log.info("{}: listening on {}", type, describe(local));
        } catch (IOException e) {
            closeQuietly(ch);
            ports.remove(port);
            String why = e instanceof BindException
                    ? "in use, not an address of this host, or below 1024 without CAP_NET_BIND_SERVICE"
                    : e.getMessage();
            throw new TransportException(type + ": cannot listen on " + describe(local) + ": " + why
                    + " (pick other --ports, or stop what holds them)");
        } catch (TransportException e) {
            closeQuietly(ch);
            ports.remove(port);
            throw e;
        }
    }

    private void register(DatagramListener l, DatagramChannel ch) {
        try {
            l.register(loop);
            listeners.add(l);
        } catch (IOException e) {
            log.warn("{}: cannot watch port {}: {}", type, l.port(), e.toString());
            closeQuietly(ch);
            ports.remove(l.port());
        }
    }

    @Override
    public final void unlisten(int port) throws TransportException {
        requireRunning();
        // The listener and its conns belong to the I/O thread: close them there.
        if (!loop.execute(() -> {
            for (DatagramListener l : new ArrayList<>(listeners)) {
                if (l.port() == port) {
                    l.closeAll(CloseReason.LOCAL);
                }
            }
        })) {
            throw new TransportException(type + ": the transport is closed");
        }
    }

    @Override
    public final Conn dial(InetSocketAddress server, ConnHandler handler) throws TransportException {
        requireRunning();
        if (server.isUnresolved()) {
            throw new TransportException(type + ": cannot resolve " + server.getHostString());
        }
        DatagramChannel ch = null;
        try {
            ch = DatagramChannel.open(family(server.getAddress()));
            tune(ch);
            ch.connect(server);
            DatagramConn conn = new DatagramConn(this, null, ch,
                    new ConnInfo(type, (InetSocketAddress) ch.getLocalAddress(), server), handler,
                    maxDatagram(server.getAddress()));
            DatagramChannel owned = ch;
            if (!loop.execute(() -> registerClient(conn, owned))) {
                throw new TransportException(type + ": the transport is closed");
            }
            return conn;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new TransportException(type + ": cannot open a socket to " + describe(server) + ": " + e.getMessage());
        } catch (TransportException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private void registerClient(DatagramConn conn, DatagramChannel ch) {
        if (!conn.isOpen()) {
            return; // closed before it got here: the close's own task reports it
        }
        clients.add(conn);
        try {
            conn.key = ch.register(loop.selector(), SelectionKey.OP_READ, (IoLoop.Readable) conn::onReadable);
        } catch (IOException e) {
            conn.terminate(CloseReason.ERROR);
            return;
        }
        reportOpened(conn);
    }

    /** Closes every conn (reporting {@link CloseReason#SHUTDOWN}) and socket, and ends the thread before returning. */
    @Override
    public final void close() {
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

    /** The largest datagram to {@code remote}: what one packet of the path MTU holds after the IP and UDP headers. */
    int maxDatagram(InetAddress remote) {
        int headers = remote instanceof Inet6Address ? IPV6_UDP : IPV4_UDP;
        return Math.max(0, Math.min(ctx.pathMtu(remote) - headers, MAX_DATAGRAM));
    }

    long nanoTime() {
        return ctx.nanoTime();
    }

    SendScratch scratch() {
        return scratch.get();
    }

    /** How conns send batches: the host's, one system call per run of same-size datagrams where it can. */
    DatagramSender sender() {
        return sender;
    }

    /**
     * Datagram {@code i} of {@code batch} decoded in place: its tag, or {@link #NOT_OURS} when it
     * must be dropped (cut by the batch, refused by {@link #decode}, or {@link #decode} threw), counted.
     */
    long decoded(Role end, DatagramBatch batch, int i) {
        if (batch.truncated(i)) {
            counters.truncated.increment();
            return NOT_OURS;
        }
        long tag;
        try {
            tag = decode(end, batch.datagram(i));
        } catch (RuntimeException e) {
            tag = NOT_OURS;
            if (!decodeFailureLogged) {
                decodeFailureLogged = true;
                log.warn("{}: decode threw; the datagram is dropped (counted in {}.bad_datagrams, logged once)", type, type, e);
            }
        }
        if (tag < 0) {
            counters.badDatagrams.increment();
            return NOT_OURS;
        }
        return tag;
    }

    /** Runs {@code task} on the I/O thread (at once if this is it), or {@code ifEnded} here if the thread has ended. */
    void onLoop(Runnable task, Runnable ifEnded) {
        if (loop.inLoop()) {
            task.run();
        } else if (!loop.execute(task)) {
            ifEnded.run();
        }
    }

    /** Whether {@code handler} admits a new remote whose first datagram decoded to {@code frame}; no when it throws. */
    boolean admits(ConnHandler handler, ByteBuffer frame) {
        try {
            return handler.admits(frame);
        } catch (RuntimeException e) {
            handlerFailed(e);
            return false;
        }
    }

    void deliver(DatagramConn c, ByteBuffer frame) {
        try {
            c.handler.received(c, frame);
        } catch (RuntimeException e) {
            handlerFailed(e);
        }
    }

    void reportOpened(DatagramConn c) {
        try {
            c.handler.opened(c);
        } catch (RuntimeException e) {
            handlerFailed(e);
        }
    }

    void reportClosed(DatagramConn c, CloseReason why) {
        try {
            c.handler.closed(c, why);
        } catch (RuntimeException e) {
            handlerFailed(e);
        }
    }

    void forgetClient(DatagramConn c) {
        clients.remove(c);
    }

    void forgetListener(DatagramListener l) {
        listeners.remove(l);
        ports.remove(l.port());
    }

    private void handlerFailed(RuntimeException e) {
        counters.handlerErrors.increment();
        if (!handlerFailureLogged) {
            handlerFailureLogged = true;
            log.warn("{}: a conn handler threw (counted in {}.handler_errors, logged once)", type, type, e);
        }
    }

    private void expireIdle() {
        long before = ctx.nanoTime() - options.idle().toNanos();
        for (DatagramListener l : listeners) {
            l.expireIdle(before);
        }
    }

    /** On the I/O thread as it ends. */
    private void closeEverything() {
        for (DatagramListener l : new ArrayList<>(listeners)) {
            l.closeAll(CloseReason.SHUTDOWN);
        }
        for (DatagramConn c : new ArrayList<>(clients)) {
            c.terminate(CloseReason.SHUTDOWN);
        }
        listeners.clear();
        clients.clear();
    }

    private void requireRunning() throws TransportException {
        if (!started) {
            throw new IllegalStateException("start() the " + type + " transport first");
        }
        if (closed) {
            throw new TransportException(type + ": the transport is closed");
        }
    }

    private static ProtocolFamily family(InetAddress a) {
        return a == null || a instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    }

    private static void tune(DatagramChannel ch) throws IOException {
        ch.configureBlocking(false);
        try {
            // No more than the queue budget, which a smaller -Drsock.queue.datagrams brings below 1 MiB.
            ch.setOption(StandardSocketOptions.SO_RCVBUF, Math.min(SOCKET_BUFFER, QueueBudget.receiveBufferBytes()));
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
        return (a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress()) + ":" + a.getPort();
    }
}
