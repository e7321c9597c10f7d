package io.rsock.core.host;

import io.rsock.api.CloseReason;
import io.rsock.api.Conn;
import io.rsock.api.ConnHandler;
import io.rsock.api.ConnTransport;
import io.rsock.api.Counter;
import io.rsock.api.TransportException;
import io.rsock.api.io.DatagramBatch;
import io.rsock.core.config.Addresses;
import io.rsock.core.config.PortList;
import io.rsock.core.config.TunnelSettings;
import io.rsock.core.frame.Association;
import io.rsock.core.frame.AssociationLookup;
import io.rsock.core.frame.ConnGone;
import io.rsock.core.frame.FrameCodec;
import io.rsock.core.frame.FrameKey;
import io.rsock.core.frame.FrameReader;
import io.rsock.core.frame.FrameSender;
import io.rsock.core.frame.FrameShape;
import io.rsock.core.frame.FrameType;
import io.rsock.core.frame.Heartbeat;
import io.rsock.core.frame.ReceivedFrame;
import io.rsock.core.session.Session;
import io.rsock.core.session.SessionTable;
import io.rsock.core.stats.Counters;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server end of the tunnel: accepts conns on every port of {@code --ports} over every selected
 * transport, authenticates every frame, and gives each (client, session) its own UDP socket towards
 * {@code -t}, the only address it ever sends app data to. Replies go back on any live conn of that
 * client.
 *
 * <p>Quiet by construction: a frame that does not authenticate, or comes from a client the server
 * holds no state for, gets no answer; a conn whose first frame does not authenticate is closed, and a
 * conn that authenticates nothing within {@link #AUTH_TIMEOUT_NANOS} is closed too. Only a HELLO makes
 * the server hold state for a client ({@link ServerHandshake}). The frames answered are a fresh HELLO,
 * with a smaller HELLO_ACK, and a heartbeat, with an answer of the same size, so the server amplifies
 * nothing.
 */
public final class TunnelServer implements TunnelEnd {
    private static final Logger log = LoggerFactory.getLogger(TunnelServer.class);
    static final long AUTH_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Datagrams read per system call from a session's target socket, and per wake-up. */
    static final int BATCH = 64;

    private final TunnelSettings settings;
    private final List<ConnTransport> transports;
    private final ScheduledExecutorService scheduler;
    private final Counters counters;
    private final LongSupplier clock;
    private final FrameKey key;
    private final FrameReader reader;
    private final Supplier<FrameSender> senders;
    private final ServerHandshake handshake;
    private final ThreadLocal<FrameSender> transportThreadSenders;
    private final Map<Conn, ServerConn> conns = new ConcurrentHashMap<>();
    private final Map<Integer, ClientState> clients = new ConcurrentHashMap<>();
    private final SessionTable<Long, ServerSession> sessions;
    private final DataPayloads payloads;
    private final Queue<ServerSession> toRegister = new ConcurrentLinkedQueue<>();
    private final ConnHandler acceptor = new Acceptor();
    // Held in fields: a method reference or capturing lambda evaluated per frame would allocate per frame.
    private final FrameReader.Visitor<ServerConn> frameVisitor = this::onFrame;
    private final AssociationLookup<ServerConn> associations = this::associationOf;
    private final Function<Long, ServerSession> sessionFactory = this::openSession;

    private final Counter rejectedConns;
    private final Counter notAdmitted;
    private final Counter unauthenticatedClosed;
    private final Counter targetSent;
    private final Counter targetReceived;
    private final Counter targetError;
    private final Counter noConn;
    /** {@code --random-ports}: which ports to listen on now; null when every port of {@code -p} is used. */
    private final PortSchedule portSchedule;
    /** The ports listened on now: {@code --ports} (or the random set), as reloads and rotations change it; read by status. */
    private final Set<Integer> listening = new ConcurrentSkipListSet<>();
    private final Counter replayed;
    private final Counter connClientLimit;
    private final Counter sessionClientLimit;

    private Selector selector;
    private Thread targetReader;
    private ScheduledFuture<?> sweeper;
    private volatile boolean running;

    public TunnelServer(TunnelSettings settings, List<ConnTransport> transports, ScheduledExecutorService scheduler,
            Counters counters, LongSupplier clock) {
        this.settings = settings;
        this.transports = List.copyOf(transports);
        this.scheduler = scheduler;
        this.counters = counters;
        this.clock = clock;
        this.key = FrameKey.forServer(settings.secret(), settings.crypt());
        this.senders = EndParts.senders(key, counters);
        this.reader = new FrameReader(key, counters);
        this.handshake = new ServerHandshake(key, clients, settings.limits().maxClients(), new HelloGuard(
                HelloGuard.DEFAULT_CAPACITY, System::currentTimeMillis, clock), counters);
        this.transportThreadSenders = ThreadLocal.withInitial(this::newSender);
        this.sessions = EndParts.sessions(settings, counters, this::sessionEnded);
        this.payloads = new DataPayloads(settings, counters);
        this.rejectedConns = counters.get("conn.rejected");
        this.notAdmitted = counters.get("conn.not_admitted");
        this.unauthenticatedClosed = counters.get("conn.unauthenticated_closed");
        this.targetSent = counters.get("target.sent");
        this.targetReceived = counters.get("target.received");
        this.targetError = counters.get("target.error");
        this.noConn = counters.get("tunnel.no_conn");
        this.replayed = counters.get("frame.replayed");
        this.portSchedule = EndParts.portSchedule(settings);
        this.connClientLimit = counters.get("conn.client_limit");
        this.sessionClientLimit = counters.get("session.client_limit");
    }

    /** Listens on every port over every transport and starts relaying. */
    @Override
    public void start() throws IOException, TransportException {
        running = true;
        selector = Selector.open();
        targetReader = new Thread(this::readTargets, "rsock-target-rx");
        targetReader.setDaemon(true);
        targetReader.start();
        for (int port : portSchedule == null ? settings.ports().asSet() : portSchedule.serverPorts()) {
            listen(port);
        }
        sweeper = scheduler.scheduleAtFixedRate(this::sweep, 1, 1, TimeUnit.SECONDS);
        log.info("server listening on {} ports {} over {}, relaying to {}", listening.size(),
                portSchedule == null ? settings.ports() : listening + " (--random-ports " + settings.randomPorts() + " of "
                        + settings.ports() + ")", transports.stream().map(ConnTransport::type).toList(), settings.target());
    }

    private void listen(int port) throws TransportException {
        for (ConnTransport t : transports) {
            t.listen(port, acceptor);
        }
        listening.add(port);
    }

    /** Stops listening on {@code port} on every transport; false if one of them cannot (it keeps listening). */
    private boolean unlisten(int port) {
        boolean all = true;
        for (ConnTransport t : transports) {
            try {
                t.unlisten(port);
            } catch (TransportException e) {
                all = false;
                log.warn("{} keeps listening on {}: {}", t.type(), port, e.getMessage());
            }
        }
        if (all) {
            listening.remove(port);
        }
        return all;
    }

    /**
     * Listens on the ports {@code change} adds, then stops on those it removes; a port a transport
     * cannot stop listening on goes into {@code change.kept()}. Returns the ports it could not listen on.
     */
    private synchronized Set<Integer> follow(PortChange change) {
        Set<Integer> failed = new TreeSet<>();
        for (int port : change.added()) {
            try {
                listen(port);
            } catch (TransportException e) {
                failed.add(port);
                log.warn("cannot listen on {}: {}", port, e.getMessage());
            }
        }
        for (int port : change.removed()) {
            if (!unlisten(port)) {
                change.kept().add(port);
            }
        }
        return failed;
    }

    /** {@code --random-ports}: listen on the ports that entered the server's set, stop on those that left it. */
    private void rotatePorts() {
        PortChange change = PortChange.between(listening, portSchedule.serverPorts());
        if (!change.isEmpty()) {
            follow(change);
            log.info("random ports: listening on {}", listening);
        }
    }

    public int sessionCount() {
        return sessions.size();
    }

    public int clientCount() {
        return clients.size();
    }

    public int connCount() {
        return conns.size();
    }

    /** Live state for {@code rsock status}. */
    @Override
    public Map<String, Object> status() {
        List<Map<String, Object>> cs = new ArrayList<>();
        for (ClientState c : clients.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("client_id", Integer.toUnsignedString(c.clientId, 16));
            m.put("conns", c.connCount());
            m.put("conn_list", c.describeConns(clock.getAsLong()));
            m.put("sessions", c.sessions.get());
            cs.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("role", "server");
        out.put("target", settings.target().toString());
        out.put("ports", PortList.of(listening).toString());
        out.put("listening", List.copyOf(listening));
        out.put("conns", conns.size());
        out.put("sessions", sessions.size());
        out.put("clients", cs);
        return out;
    }

    /**
     * {@code rsock reload}: listens on the ports of {@code ports} not listened on yet and stops
     * listening on those no longer listed (their conns close; clients move to the other ports).
     * With {@code --random-ports} the set comes from {@code -p} as it was at start: changing it
     * needs a restart. Returns what changed.
     */
    @Override
    public synchronized String reloadPorts(PortList ports) throws TransportException {
        return PortReload.reload(portSchedule, listening, ports, this::follow, log);
    }

    private FrameSender newSender() {
        return senders.get();
    }

    private final class Acceptor implements ConnHandler {
        @Override
        public void opened(Conn conn) {
            if (conns.size() >= settings.limits().maxConns()) {
                rejectedConns.increment();
                conn.close();
                return;
            }
            conns.put(conn, new ServerConn(conn, clock.getAsLong()));
            counters.get("conn.opened").increment();
        }

        @Override
        public boolean admits(ByteBuffer firstPayload) {
            if (FrameShape.plausible(firstPayload)) {
                return true;
            }
            notAdmitted.increment();
            return false;
        }

        @Override
        public void received(Conn conn, ByteBuffer frames) {
            receivedAuthentic(conn, frames);
        }

        @Override
        public boolean receivedAuthentic(Conn conn, ByteBuffer frames) {
            ServerConn sc = conns.get(conn);
            if (sc == null) {
                counters.get("conn.unknown").increment();
                return false;
            }
            sc.bytesIn.add(frames.remaining());
            int n = reader.read(frames, sc, associations, frameVisitor);
            if (n < 0 && sc.client == null && !sc.helloAdmitted) {
                // Whoever opened this conn does not hold the secret: say nothing and let go of it.
                unauthenticatedClosed.increment();
                conn.close();
            }
            return n > 0; // an admitted HELLO, or a frame that authenticated under its client's keys
        }

        @Override
        public void closed(Conn conn, CloseReason why) {
            ServerConn sc = conns.remove(conn);
            ClientState client = sc == null ? null : sc.client;
            if (client != null) {
                client.detach(sc);
                log.debug("conn of client {} closed ({}): {}", Integer.toUnsignedString(client.clientId, 16), why,
                        conn.info());
                if ((why == CloseReason.RESET || why == CloseReason.FINISHED) && sc.delivery.connId() != 0) {
                    // The client may not know yet: tell it on another conn, or it sends into the dead 4-tuple.
                    counters.get("conn.gone_sent").add(client.goneNotice.tell(transportThreadSenders.get(), client.clientId,
                            sc.delivery.connId(), clock.getAsLong()));
                }
            }
        }
    }

    /** The association of a frame of {@code clientId} on {@code sc}: the client's, if the server holds it. */
    private Association associationOf(ServerConn sc, int clientId) {
        ClientState c = clientOf(sc, clientId);
        return c == null ? null : c.association;
    }

    private ClientState clientOf(ServerConn sc, int clientId) {
        ClientState c = sc.client;
        return c != null && c.clientId == clientId ? c : clients.get(clientId);
    }

    /** Handles one authenticated frame; false for a HELLO refused (stale, seen before, no room). */
    private boolean onFrame(ServerConn sc, ReceivedFrame f, ByteBuffer buf) {
        long now = clock.getAsLong();
        if (f.type() == FrameType.HELLO) {
            if (handshake.admit(f, buf, now) == null) {
                return false;
            }
            sc.helloAdmitted = true;
            sc.delivery.received(FrameCodec.OVERHEAD + f.payloadLength()); // the client counted it sent
            FrameSender sender = transportThreadSenders.get();
            sender.send(sc.conn, null, FrameType.HELLO_ACK, f.clientId(), 0, handshake.answer(f, buf));
            sc.bytesOut.add(sender.lastBytes());
            return true;
        }
        ClientState client = clientOf(sc, f.clientId());
        if (client == null) {
            return true; // let go of since its frame authenticated: the client finds out and says HELLO again
        }
        // Before the frame may attach this conn to the client: a replayed frame must not steer replies.
        if (!f.association().replay().accept(f.counter())) {
            replayed.increment();
            return true;
        }
        attach(sc, client, f.clientId());
        sc.lastSeenNanos = now;
        switch (f.type()) {
            case FrameType.DATA -> toTarget(client, f, buf, now);
            case FrameType.HEARTBEAT -> {
                if (f.payloadLength() < Heartbeat.SIZE) {
                    counters.get("frame.short_heartbeat").increment();
                    break;
                }
                client.heartbeatSpacing(Heartbeat.spacingMillis(buf, f.payloadOffset()));
                ByteBuffer answer = sc.delivery.answer(buf, f.payloadOffset(), ByteBuffer.allocate(Heartbeat.ACK_SIZE), now);
                client.reweigh();
                FrameSender sender = transportThreadSenders.get();
                sender.send(sc.out, f.association(), FrameType.HEARTBEAT_ACK, f.clientId(), 0, answer);
                sc.bytesOut.add(sender.lastBytes());
            }
            case FrameType.CONN_GONE -> {
                if (f.payloadLength() >= ConnGone.SIZE) {
                    connGone(client, ConnGone.connId(buf, f.payloadOffset()));
                }
            }
            case FrameType.CLOSE -> {
                if (f.sessionId() == 0) {
                    // The client is letting go of this conn (idle, redial, exit): no reply may take it any more.
                    client.detach(sc);
                    sc.client = null;
                    conns.remove(sc.conn);
                    sc.conn.close();
                } else {
                    sessions.remove(sessionKey(f.clientId(), f.sessionId()), Session.EndReason.CLOSED);
                }
            }
            default -> counters.get("frame.unexpected_type").increment();
        }
        sc.delivery.received(FrameCodec.OVERHEAD + f.payloadLength());
        return true;
    }

    /** The client says its conn {@code connId} died at its end: no reply may take it any more. */
    private void connGone(ClientState client, int connId) {
        ServerConn gone = client.find(connId);
        if (gone == null) {
            return;
        }
        counters.get("conn.gone_received").increment();
        client.detach(gone);
        gone.client = null;
        conns.remove(gone.conn);
        gone.conn.close();
    }

    /** Makes {@code sc} one of {@code client}'s conns (replies may go out on it), once a keyed frame came on it. */
    private void attach(ServerConn sc, ClientState client, int clientId) {
        if (sc.client == client) {
            return;
        }
        if (sc.client != null) {
            sc.client.detach(sc);
        } else {
            log.info("client {} authenticated on {}", Integer.toUnsignedString(clientId, 16), sc.conn.info());
        }
        sc.client = client;
        ServerConn evicted = client.attach(sc, settings.limits().maxConnsPerClient());
        if (evicted != null) {
            connClientLimit.increment();
            evicted.client = null;
            evicted.conn.close();
        }
    }

    private void toTarget(ClientState client, ReceivedFrame f, ByteBuffer buf, long now) {
        ServerSession s = client.cachedSession(f.sessionId());
        if (s == null) {
            s = sessions.getOrCreate(sessionKey(client.clientId, f.sessionId()), now, sessionFactory);
            if (s == null) {
                return;
            }
            client.cacheSession(s);
        }
        s.touch(now);
        ByteBuffer payload = payloads.of(client.clientId, f, buf, now);
        if (payload == null) {
            return;
        }
        try {
            if (s.target.write(payload) > 0 || !payload.hasRemaining()) {
                targetSent.increment();
            } else {
                targetError.increment();
            }
        } catch (IOException e) {
            targetError.increment();
        }
    }

    private ServerSession openSession(Long key) {
        ClientState client = clients.get((int) (key >>> 32));
        int sessionId = (int) (long) key;
        if (client == null) {
            return null; // forgotten between the frame and now: the client's next frame starts afresh
        }
        int held = client.sessions.get();
        if (held >= settings.limits().maxSessionsPerClient()) {
            // One client may not take every slot of the table: its own least recently active go. Called
            // from within the table's lock, where evicting is allowed.
            sessionClientLimit.increment();
            sessions.evictOldest(x -> x.client == client, held);
        }
        try {
            DatagramChannel ch = DatagramChannel.open(Addresses.familyOf(settings.target()));
            ch.configureBlocking(false);
            // The target's replies wait here while the reader thread is held up (a GC pause under a
            // flood, a busy core); the default overflows under a flood. A limit, not an allocation.
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            ch.connect(settings.target());
            ServerSession s = new ServerSession(client, sessionId, ch, clock.getAsLong());
            client.sessions.incrementAndGet();
            counters.get("session.opened").increment();
            toRegister.add(s);
            selector.wakeup();
            return s;
        } catch (IOException e) {
            counters.get("session.open_failed").increment();
            log.warn("cannot open a socket towards {}: {}", settings.target(), e.toString());
            return null;
        }
    }

    private void sessionEnded(ServerSession s, Session.EndReason why) {
        s.client.forgetSession(s);
        s.client.sessions.decrementAndGet();
    }

    private static long sessionKey(int clientId, int sessionId) {
        return ((long) clientId << 32) | (sessionId & 0xFFFFFFFFL);
    }

    /** The target reader thread: replies from {@code -t} to every session, framed back to its client. */
    private void readTargets() {
        FrameSender sender = newSender();
        DatagramBatch batch = settings.packetPath().datagramBatch(BATCH, FrameCodec.MAX_PAYLOAD);
        BatchRoute<ServerConn> route = new BatchRoute<>(sender, sc -> sc.out);
        // select(action) and not selectedKeys(): the key set allocates per wake-up, which at
        // moderate rates is per reply datagram.
        Consumer<SelectionKey> ready = k -> {
            if (k.isValid()) {
                drain((ServerSession) k.attachment(), batch, sender, route);
            }
        };
        while (running) {
            try {
                selector.select(ready, 1000);
                ServerSession pending;
                while ((pending = toRegister.poll()) != null) {
                    if (pending.target.isOpen()) {
                        pending.target.register(selector, SelectionKey.OP_READ, pending);
                    }
                }
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                counters.get("target.loop_error").increment();
                log.debug("target loop: {}", e.toString());
            }
        }
    }

    /** Relays what the target sent on one session: one batch per wake-up, so one busy session cannot starve the others. */
    private void drain(ServerSession s, DatagramBatch batch, FrameSender sender, BatchRoute<ServerConn> route) {
        int n;
        try {
            n = batch.receive(s.target);
        } catch (IOException e) { // PortUnreachableException: nothing listens on -t (yet); the app will retry
            targetError.increment();
            return;
        }
        if (n == 0) {
            return;
        }
        long now = clock.getAsLong();
        s.touch(now);
        targetReceived.add(n);
        // One of the client's conns per size class for the batch: its frames leave in one system
        // call where the transport can.
        Association association = s.client.association;
        route.begin(s.client, now);
        for (int i = 0; i < n; i++) {
            ByteBuffer datagram = batch.datagram(i);
            ServerConn sc = route.pick(datagram.remaining());
            if (sc == null) {
                noConn.increment();
                continue;
            }
            sender.send(sc.out, association, FrameType.DATA, s.client.clientId, s.sessionId, datagram);
            sc.bytesOut.add(sender.lastBytes());
        }
        route.end();
    }

    private void sweep() {
        try {
            if (portSchedule != null) {
                rotatePorts();
            }
            long now = clock.getAsLong();
            sessions.expire(now);
            payloads.expire(now);
            List<ServerConn> stale = new ArrayList<>();
            for (ServerConn sc : conns.values()) {
                if (sc.client == null && now - sc.openedNanos > AUTH_TIMEOUT_NANOS) {
                    stale.add(sc);
                }
            }
            for (ServerConn sc : stale) {
                unauthenticatedClosed.increment();
                sc.conn.close();
            }
            for (ClientState c : clients.values()) {
                if (c.idle(now, ServerHandshake.ADMITTED_GRACE_NANOS) && clients.remove(c.clientId, c)) {
                    handshake.forget(c);
                }
            }
        } catch (RuntimeException e) {
            log.warn("server sweep: {}", e.toString(), e);
        }
    }

    @Override
    public Map<String, Number> gauges() {
        return Map.of("sessions", sessionCount(), "conns", connCount(), "clients", clientCount());
    }

    @Override
    public void close() {
        running = false;
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        for (ServerConn sc : new ArrayList<>(conns.values())) {
            sc.conn.close();
        }
        try {
            if (selector != null) {
                selector.close();
            }
        } catch (IOException e) {
            log.debug("closing selector: {}", e.toString());
        }
        if (targetReader != null) {
            try {
                targetReader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        sessions.clear();
    }
}
