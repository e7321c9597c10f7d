package io.rsock.core.host;

import io.rsock.api.Conn;
import io.rsock.api.ConnInfo;
import io.rsock.api.ConnTransport;
import io.rsock.api.Counter;
import io.rsock.api.TransportException;
import io.rsock.api.io.DatagramBatch;
import io.rsock.api.io.QueueBudget;
import io.rsock.core.config.Addresses;
import io.rsock.core.config.PortList;
import io.rsock.core.config.TunnelSettings;
import io.rsock.core.frame.Association;
import io.rsock.core.frame.ConnGone;
import io.rsock.core.frame.FrameCodec;
import io.rsock.core.frame.FrameKey;
import io.rsock.core.frame.FrameReader;
import io.rsock.core.frame.FrameSender;
import io.rsock.core.frame.FrameType;
import io.rsock.core.frame.Heartbeat;
import io.rsock.core.frame.ReceivedFrame;
import io.rsock.core.pool.Backoff;
import io.rsock.core.pool.ConnDelivery;
import io.rsock.core.pool.ConnPool;
import io.rsock.core.pool.PoolListener;
import io.rsock.core.pool.PoolSlot;
import io.rsock.core.pool.SizeClass;
import io.rsock.core.session.Session;
import io.rsock.core.session.SessionTable;
import io.rsock.core.stats.Counters;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client end of the tunnel: listens for the app's UDP on {@code -l}, gives every app source
 * endpoint a session, and carries its datagrams in frames over the pool of conns to the servers;
 * replies go back to the app endpoint of their session.
 */
public final class TunnelClient implements TunnelEnd {
    private static final Logger log = LoggerFactory.getLogger(TunnelClient.class);
    private static final long SILENCE_WARNING_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long SILENCE_REPEAT_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** How long datagrams wait for the first conn after an idle wake-up before they count as lost. */
    private static final long WAKE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Datagrams read per system call from the app's socket. */
    static final int BATCH = 64;

    private final TunnelSettings settings;
    private final List<ConnTransport> transports;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier clock;
    private final Counters counters;
    private final int clientId;
    private final FrameKey key;
    private final long startedNanos;
    private final FrameReader reader;
    private final ConnPool pool;
    private final GoneNotice<PoolSlot> goneNotice;
    private final SessionTable<SocketAddress, ClientSession> sessions;
    private final Map<Integer, ClientSession> sessionsById = new ConcurrentHashMap<>();
    /**
     * The same sessions in a slot per id & 1023 (ids are consecutive): looking a reply's session up
     * in the map boxes its id per datagram. A hint only; a miss or an ended entry asks the map.
     */
    private final ClientSession[] sessionHint = new ClientSession[1024];
    private final DataPayloads payloads;
    private final Supplier<FrameSender> senders;
    /** The client's association with each server (keys and the replay window of the server's frames). */
    private final ClientHandshake handshake;
    private final AtomicInteger nextSessionId = new AtomicInteger();
    // Held in fields: a method reference evaluated per datagram would allocate per datagram.
    private final Function<SocketAddress, ClientSession> sessionFactory = this::newSession;
    private final FrameReader.Visitor<PoolSlot> frameVisitor = this::onFrame;

    private final Counter appReceived;
    private final Counter appSent;
    private final Counter noConn;
    private final Counter noSession;
    private final Counter appSendFailed;
    private final Counter replayed;

    private DatagramChannel app;
    /** The kernel's drops at the app socket's bounded queue, read on the tick into {@link #appQueueDropped}. */
    private LongSupplier appDrops = () -> 0;
    private long appDropsSeen;
    private final Counter appQueueDropped;
    private Selector appSelector;
    private Thread appReader;
    private FrameSender timerSender;
    private final ByteBuffer heartbeatPayload = ByteBuffer.allocate(Heartbeat.SIZE);
    private ScheduledFuture<?> ticker;
    private long ticks;
    private long lastAnswerNanos;
    private long lastSilenceWarningNanos;
    /** When the app last sent a datagram (idle mode). */
    private volatile long lastAppNanos;
    /** Idle mode: every conn closed until the next app datagram. */
    private volatile boolean parked;
    /** Datagrams that arrived while the pool was parked, sent when the first conn opens. */
    private final WaitingDatagrams waiting = new WaitingDatagrams(256, 1 << 20);
    private FrameSender wakeSender;
    /** HELLOs go out on the timer thread and on transport threads: one sender each (see {@link #hello}). */
    private final ThreadLocal<FrameSender> handshakeSenders = ThreadLocal.withInitial(this::newSender);
    /** {@code --random-ports}: which ports to dial now; null when every port of {@code -p} is used. */
    private final PortSchedule portSchedule;

    /**
     * @param transports started transports, one per selected type
     * @param scheduler the host's timer thread (shared with the transports)
     */
    public TunnelClient(TunnelSettings settings, List<ConnTransport> transports, ScheduledExecutorService scheduler,
            Counters counters, LongSupplier clock) {
        this.settings = settings;
        this.transports = List.copyOf(transports);
        this.scheduler = scheduler;
        this.counters = counters;
        this.clock = clock;
        SecureRandom random = new SecureRandom();
        int id;
        do {
            id = random.nextInt();
        } while (id == 0);
        this.clientId = id;
        this.startedNanos = clock.getAsLong();
        this.lastAnswerNanos = startedNanos;
        this.lastSilenceWarningNanos = startedNanos - SILENCE_REPEAT_NANOS;
        this.nextSessionId.set(random.nextInt() & 0x7FFFFFFF);
        this.key = FrameKey.forClient(settings.secret(), settings.crypt());
        this.senders = EndParts.senders(key, counters);
        this.reader = new FrameReader(key, counters);
        this.handshake = new ClientHandshake(clientId, key, settings.servers(), System::currentTimeMillis);
        this.pool = new ConnPool(scheduler, new Backoff(100, 1500), new PoolListener() {
            @Override
            public void received(PoolSlot slot, Conn conn, ByteBuffer frames) {
                fromTunnel(slot, frames);
            }

            @Override
            public boolean receivedAuthentic(PoolSlot slot, Conn conn, ByteBuffer frames) {
                return fromTunnel(slot, frames);
            }

            @Override
            public void opened(PoolSlot slot) {
                hello(slot, slot.conn()); // first, so the frames that follow on the conn find the client known
                if (handshake.of(slot.server().getAddress()) != null) {
                    greet(slot); // else when the HELLO_ACK comes
                }
                flushWaiting();
            }

            @Override
            public void closing(PoolSlot slot, Conn conn) {
                synchronized (timerSender) {
                    timerSender.send(conn, handshake.of(slot.server().getAddress()), FrameType.CLOSE, clientId, 0,
                            ByteBuffer.allocate(0));
                }
            }

            @Override
            public void died(PoolSlot slot, int connId) {
                // The transport's thread, with its own sender and no lock (see hello).
                counters.get("conn.gone_sent").add(goneNotice.tell(handshakeSenders.get(), clientId, connId, 0));
            }
        }, clock);
        this.goneNotice = new GoneNotice<>(pool, PoolSlot::conn, s -> handshake.of(s.server().getAddress()));
        this.sessions = EndParts.sessions(settings, counters, this::sessionEnded);
        this.payloads = new DataPayloads(settings, counters);
        this.appReceived = counters.get("app.received");
        this.appSent = counters.get("app.sent");
        this.noConn = counters.get("tunnel.no_conn");
        this.noSession = counters.get("data.no_session");
        this.appSendFailed = counters.get("app.send_failed");
        this.appQueueDropped = counters.get("app.queue_dropped");
        this.replayed = counters.get("frame.replayed");
        this.portSchedule = EndParts.portSchedule(settings);
    }

    /** Binds {@code -l}, dials the pool, and starts carrying datagrams. */
    @Override
    public void start() throws IOException {
        app = DatagramChannel.open(Addresses.familyOf(settings.listen()));
        // The app's datagrams queue here while the reader is busy: a QueueBudget of them, then the
        // kernel drops (counted as app.queue_dropped) instead of adding latency.
        app.setOption(StandardSocketOptions.SO_RCVBUF, QueueBudget.receiveBufferBytes());
        app.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
        appDrops = settings.packetPath().receiveDrops(app);
        app.bind(settings.listen());
        for (int port : portSchedule == null ? settings.ports().asSet() : portSchedule.clientPorts()) {
            addSlots(port);
        }
        FrameSender appSender = newSender();
        timerSender = newSender();
        wakeSender = newSender();
        lastAppNanos = clock.getAsLong();
        pool.start();
        long tickMillis = Math.max(10, settings.heartbeat().toMillis() / 4);
        ticker = scheduler.scheduleAtFixedRate(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
        app.configureBlocking(false);
        appSelector = Selector.open();
        appReader = new Thread(() -> readApp(appSender, appSelector), "rsock-app-rx");
        appReader.setDaemon(true);
        appReader.start();
        log.info("client {} listening on {}, {} conns to {} over {}", Integer.toUnsignedString(clientId, 16),
                app.getLocalAddress(), pool.slots().size(), settings.servers(), types());
    }

    private void countAppDrops() {
        long drops = appDrops.getAsLong();
        if (drops > appDropsSeen) {
            appQueueDropped.add(drops - appDropsSeen);
            appDropsSeen = drops;
        }
    }

    /** The pool, for status and tests. */
    public ConnPool pool() {
        return pool;
    }

    /** This run's client id. */
    public int clientId() {
        return clientId;
    }

    /** The association with {@code server}, or null before it answered a HELLO; for tests and benchmarks. */
    public Association association(InetAddress server) {
        return handshake.of(server);
    }

    /** How many app flows are live. */
    public int sessionCount() {
        return sessions.size();
    }

    /** The address {@code -l} is bound to. */
    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) app.getLocalAddress();
    }

    /** Live state for {@code rsock status}. */
    @Override
    public Map<String, Object> status() {
        long now = clock.getAsLong();
        List<Map<String, Object>> conns = new ArrayList<>();
        for (PoolSlot slot : pool.slots()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("transport", slot.transport().type());
            c.put("server", ConnInfo.endpoint(slot.server()));
            c.put("state", slot.state().name());
            c.put("healthy", slot.healthy());
            ConnDelivery delivery = slot.delivery();
            boolean open = slot.conn() != null && delivery != null;
            c.put("delivered_up", open ? DeliveryStatus.fraction(delivery.outbound().delivered()) : null);
            c.put("delivered_down", open ? DeliveryStatus.fraction(delivery.inbound().delivered()) : null);
            c.put("share", DeliveryStatus.shares(sizeClass -> pool.share(slot, sizeClass)));
            c.put("frames_sent", slot.framesSent());
            long srtt = slot.health().srttNanos();
            c.put("rtt_ms", srtt < 0 ? null : srtt / 1e6);
            c.put("loss", slot.health().loss(now, settings.heartbeat().toNanos()));
            c.put("bytes_in", slot.bytesIn());
            c.put("bytes_out", slot.bytesOut());
            Conn conn = slot.conn();
            c.put("conn", conn == null ? null : conn.info().toString());
            conns.add(c);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("role", "client");
        out.put("client_id", Integer.toUnsignedString(clientId, 16));
        out.put("listen", settings.listen().toString());
        out.put("sessions", sessions.size());
        out.put("open_conns", pool.openCount());
        out.put("idle_parked", parked);
        out.put("conns", conns);
        out.put("session_list", recentSessions(now));
        return out;
    }

    /** Most sessions listed in status: the most recently active ones (the table holds up to --max-sessions). */
    static final int STATUS_SESSIONS = 20;

    private List<Map<String, Object>> recentSessions(long now) {
        List<ClientSession> all = sessions.snapshot();
        all.sort((a, b) -> Long.compare(b.lastActiveNanos(), a.lastActiveNanos()));
        List<Map<String, Object>> out = new ArrayList<>();
        for (ClientSession s : all.subList(0, Math.min(STATUS_SESSIONS, all.size()))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("session", Integer.toUnsignedString(s.id, 16));
            m.put("app", ConnInfo.endpoint(s.app));
            m.put("idle_ms", Math.max(0, (now - s.lastActiveNanos()) / 1_000_000));
            out.add(m);
        }
        return out;
    }

    /**
     * {@code rsock reload}: the pool follows {@code ports}: a slot for each new port, dialled at
     * once; the slots of ports no longer listed are closed (their traffic moves to the other conns at
     * once; sessions are not touched). Returns what changed, for the reload's answer.
     */
    @Override
    public synchronized String reloadPorts(PortList ports) throws TransportException {
        return PortReload.reload(portSchedule, dialledPorts(), ports, this::follow, log);
    }

    private FrameSender newSender() {
        return senders.get();
    }

    /**
     * The app reader: waits on its own selector and reads what the app sent in batches, a system
     * call per batch rather than per datagram. The channel is read only here, so NIO keeps its
     * descriptor open until this thread's selector lets go of it after close.
     */
    private void readApp(FrameSender sender, Selector selector) {
        DatagramBatch batch = settings.packetPath().datagramBatch(BATCH, FrameCodec.MAX_PAYLOAD);
        BatchRoute<PoolSlot> route = new BatchRoute<>(sender, PoolSlot::conn);
        try (selector) {
            app.register(selector, SelectionKey.OP_READ);
            while (app.isOpen()) {
                selector.select(1000);
                int n;
                try {
                    n = batch.receive(app);
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    counters.get("app.receive_error").increment();
                    log.debug("app receive: {}", e.toString());
                    continue;
                }
                // One conn per size class for the whole batch, so its frames leave in one system call
                // where the transport can; the pool's rotation moves on per batch, which under load is as even.
                route.begin(pool, 0);
                PoolSlot keyed = null;
                Association a = null;
                for (int i = 0; i < n; i++) {
                    ByteBuffer datagram = batch.datagram(i);
                    PoolSlot slot = route.pick(datagram.remaining());
                    if (slot != keyed) { // the server's keys looked up once per conn and batch
                        keyed = slot;
                        a = slot == null ? null : handshake.of(slot.server().getAddress());
                    }
                    fromApp(batch.sender(i), datagram, sender, slot, slot == null ? null : slot.conn(), a);
                }
                route.end();
            }
        } catch (ClosedChannelException | ClosedSelectorException e) {
            // closed while starting: nothing to read
        } catch (IOException e) {
            log.error("the app socket's selector failed; no more datagrams are read from {}", settings.listen(), e);
        }
    }

    private void fromApp(SocketAddress from, ByteBuffer buf, FrameSender sender, PoolSlot slot, Conn conn, Association a) {
        try {
            appReceived.increment();
            long now = clock.getAsLong();
            ClientSession s = sessions.getOrCreate(from, now, sessionFactory);
            if (s == null) {
                return; // a new flow beyond --max-new-sessions per second: dropped, counted
            }
            s.touch(now);
            lastAppNanos = now;
            if (parked && wake(s, buf)) {
                return;
            }
            if (conn == null || a == null || !waiting.isEmpty()) {
                // No conn when the batch began, its server's run not known yet, or datagrams from
                // before still waiting for either (an idle wake-up). Ask again under the lock
                // flushWaiting holds: a conn that opened since is seen here, and what waits goes
                // out before this one, or this one joins it.
                synchronized (waiting) {
                    slot = pool.pick(SizeClass.of(buf.remaining() + FrameCodec.OVERHEAD), now);
                    conn = slot == null ? null : slot.conn();
                    a = conn == null ? null : handshake.of(slot.server().getAddress());
                    if (a == null) {
                        if ((conn != null || !waiting.isEmpty()) && waiting.offer(s, buf, now)) {
                            return; // conns still coming up, or their HELLO_ACK: keep the order
                        }
                        noConn.increment();
                        return;
                    }
                    sendWaiting(slot, conn, a);
                }
            }
            sender.send(conn, a, FrameType.DATA, clientId, s.id, buf);
            slot.sent(sender.lastBytes());
        } catch (RuntimeException e) {
            // One bad datagram must not end the client.
            counters.get("app.receive_error").increment();
            log.debug("app datagram: {}", e.toString());
        }
    }

    private ClientSession newSession(SocketAddress from) {
        int id;
        do {
            id = nextSessionId.incrementAndGet() & 0x7FFFFFFF;
        } while (id == 0 || sessionsById.containsKey(id));
        ClientSession s = new ClientSession(id, (InetSocketAddress) from, clock.getAsLong());
        sessionsById.put(id, s);
        counters.get("session.opened").increment();
        log.debug("session {} for app {}", id, from);
        return s;
    }

    private void sessionEnded(ClientSession s, Session.EndReason why) {
        sessionsById.remove(s.id, s);
        if (sessionHint[s.id & (sessionHint.length - 1)] == s) {
            sessionHint[s.id & (sessionHint.length - 1)] = null;
        }
        log.debug("session {} of {} ended: {}", s.id, s.app, why);
        if (why == Session.EndReason.SHUTDOWN) {
            return;
        }
        // Tell the server so it frees the socket now rather than after its own --duration.
        PoolSlot slot = pool.pick();
        Conn conn = slot == null ? null : slot.conn();
        if (conn != null) {
            synchronized (timerSender) {
                timerSender.send(conn, handshake.of(slot.server().getAddress()), FrameType.CLOSE, clientId, s.id,
                        ByteBuffer.allocate(0));
            }
        }
    }

    /** Reads what a conn received; returns whether its first frame authenticated (a HELLO_ACK: answered ours). */
    private boolean fromTunnel(PoolSlot slot, ByteBuffer frames) {
        return reader.read(frames, slot, handshake.lookup, frameVisitor) > 0;
    }

    /** Handles one authenticated frame; false for a HELLO_ACK that answers no HELLO of ours. */
    private boolean onFrame(PoolSlot slot, ReceivedFrame f, ByteBuffer buf) {
        if (f.type() == FrameType.HELLO_ACK) {
            if (!handshake.acked(slot, f, buf)) {
                return false;
            }
            greet(slot);
            flushWaiting(); // what waited for a conn, or for the server's run, goes now
            return true;
        }
        if (!f.association().replay().accept(f.counter())) {
            replayed.increment();
            return true;
        }
        switch (f.type()) {
            case FrameType.DATA -> deliver(f, buf);
            case FrameType.HEARTBEAT_ACK -> {
                if (f.payloadLength() >= Heartbeat.ACK_SIZE) {
                    long now = clock.getAsLong();
                    int seq = Heartbeat.seq(buf, f.payloadOffset());
                    slot.health().answered(seq, Heartbeat.sentNanos(buf, f.payloadOffset()), now);
                    slot.delivery().answered(buf, f.payloadOffset(), seq, now);
                    pool.proven(slot);
                }
            }
            case FrameType.CONN_GONE -> {
                if (f.payloadLength() >= ConnGone.SIZE && pool.gone(ConnGone.connId(buf, f.payloadOffset()))) {
                    counters.get("conn.gone_received").increment();
                }
            }
            default -> counters.get("frame.unexpected_type").increment();
        }
        slot.delivery().received(FrameCodec.OVERHEAD + f.payloadLength());
        return true;
    }

    private void deliver(ReceivedFrame f, ByteBuffer buf) {
        int id = f.sessionId();
        ClientSession s = sessionHint[id & (sessionHint.length - 1)];
        if (s == null || s.id != id || s.ended) {
            s = sessionsById.get(id);
            if (s == null) {
                noSession.increment();
                return;
            }
            sessionHint[id & (sessionHint.length - 1)] = s;
        }
        long now = clock.getAsLong();
        s.touch(now);
        ByteBuffer payload = payloads.of(clientId, f, buf, now);
        if (payload == null) {
            return;
        }
        try {
            int length = payload.remaining();
            if (app.send(payload, s.app) > 0 || length == 0) {
                appSent.increment();
            } else {
                appSendFailed.increment(); // the app's socket buffer is full: a drop, never a wait
            }
        } catch (IOException e) {
            appSendFailed.increment();
        }
    }

    /**
     * Every quarter heartbeat interval: judge each conn's health; every other tick (half an
     * interval), send heartbeats, so that a conn that stops answering is noticed within an interval.
     */
    private void tick() {
        try {
            long now = clock.getAsLong();
            countAppDrops();
            int lost = waiting.expire(now, WAKE_TIMEOUT_NANOS);
            if (lost > 0) {
                counters.get("client.wake_dropped").add(lost);
            }
            if (parked) {
                if ((ticks++ & 15) == 0) {
                    sessions.expire(now);
                    payloads.expire(now);
                }
                return;
            }
            if (!settings.idle().isZero() && now - lastAppNanos > settings.idle().toNanos() && waiting.isEmpty()) {
                park();
                return;
            }
            pool.checkHealth(now, settings.heartbeat().toNanos());
            if ((ticks++ & 1) == 0) {
                long spacing = TimeUnit.MILLISECONDS.toNanos(heartbeatSpacingMillis());
                for (PoolSlot slot : pool.slots()) {
                    Conn conn = slot.conn();
                    if (conn != null && slot.inService() && handshake.helloDue(slot, now, spacing)) {
                        hello(slot, conn); // the server may have restarted or let go of us
                    }
                    synchronized (timerSender) {
                        heartbeat(slot, now, timerSender, heartbeatPayload);
                    }
                }
            }
            if (portSchedule != null && (ticks & 3) == 0) {
                rotatePorts();
            }
            if ((ticks & 15) == 0) {
                sessions.expire(now);
                payloads.expire(now);
                warnIfServerSilent(now);
                handshake.retain(pool.slots());
            }
        } catch (RuntimeException e) {
            log.warn("client timer: {}", e.toString(), e);
        }
    }

    /**
     * A wrong secret or wrong ports look the same from here: conns that never answer, since the
     * server stays silent to what it cannot authenticate. Say so, at most every half minute.
     */
    private void warnIfServerSilent(long now) {
        long newest = lastAnswerNanos;
        for (PoolSlot slot : pool.slots()) {
            if (slot.state() == PoolSlot.State.OPEN && slot.health().srttNanos() >= 0
                    && slot.health().lastAnswerNanos() - newest > 0) {
                newest = slot.health().lastAnswerNanos();
            }
        }
        lastAnswerNanos = newest;
        long silentFor = now - newest;
        if (silentFor > SILENCE_WARNING_NANOS && now - lastSilenceWarningNanos > SILENCE_REPEAT_NANOS) {
            lastSilenceWarningNanos = now;
            counters.get("server.silent_warnings").increment();
            log.warn("server does not answer ({} s without a heartbeat answer on any of {} conns): check --hash, --crypt "
                    + "and the ports (-p) match the server's, that the server runs the same rsock-java release, and that "
                    + "both clocks agree within 30 s (NTP)", silentFor / 1_000_000_000L, pool.slots().size());
        }
    }

    /** The ports the pool has slots for. */
    private Set<Integer> dialledPorts() {
        Set<Integer> have = new TreeSet<>();
        for (PoolSlot slot : pool.slots()) {
            have.add(slot.server().getPort());
        }
        return have;
    }

    private void addSlots(int port) {
        for (ConnTransport t : transports) {
            for (InetAddress server : settings.servers()) {
                pool.add(t, new InetSocketAddress(server, port));
            }
        }
    }

    /** Dials the ports {@code change} adds (first, so traffic has somewhere to go), then lets go of those it removes. */
    private synchronized Set<Integer> follow(PortChange change) {
        for (int port : change.added()) {
            addSlots(port);
        }
        for (PoolSlot slot : pool.slots()) {
            if (change.removed().contains(slot.server().getPort())) {
                pool.remove(slot);
            }
        }
        return Set.of(); // a slot is added for every port: none fails
    }

    /** {@code --random-ports}: dial the ports that entered the client's set, let go of those that left it. */
    private void rotatePorts() {
        Set<Integer> want = portSchedule.clientPorts();
        PortChange change = PortChange.between(dialledPorts(), want);
        if (!change.isEmpty()) {
            follow(change);
            log.info("random ports: conns now to ports {}", want);
        }
    }

    /**
     * A heartbeat on {@code slot}'s conn with {@code sender} (the caller owns it and {@code payload}),
     * if the conn is open and in service and the server's run is known.
     */
    private void heartbeat(PoolSlot slot, long now, FrameSender sender, ByteBuffer payload) {
        Conn conn = slot.conn();
        Association a = conn == null || !slot.inService() ? null : handshake.of(slot.server().getAddress());
        if (a == null) {
            return;
        }
        int seq = slot.health().sent(now);
        sender.send(conn, a, FrameType.HEARTBEAT, clientId, 0,
                slot.delivery().heartbeat(payload, seq, now, heartbeatSpacingMillis()));
        slot.sent(sender.lastBytes());
    }

    /**
     * A conn the server's run knows: a heartbeat on it now (the server learns the conn's id, the pool
     * its health) and the CONN_GONE notices no conn could carry. The calling transport thread's own
     * sender, no lock (see {@link #hello}).
     */
    private void greet(PoolSlot slot) {
        FrameSender sender = handshakeSenders.get();
        heartbeat(slot, clock.getAsLong(), sender, ByteBuffer.allocate(Heartbeat.SIZE));
        counters.get("conn.gone_sent").add(goneNotice.flush(slot, sender, clientId));
    }

    /**
     * Says HELLO on {@code conn} of {@code slot}, with the calling thread's own sender and no lock: a
     * transport thread says it when a conn opens, and a send that finds the conn dead closes it on that
     * thread, which then takes the pool's lock; the timer thread holds the pool's lock while it waits for
     * the timer sender's (a conn it kills says CLOSE).
     */
    private void hello(PoolSlot slot, Conn conn) {
        if (conn == null) {
            return;
        }
        FrameSender sender = handshakeSenders.get();
        sender.send(conn, null, FrameType.HELLO, clientId, 0, handshake.hello(slot, clock.getAsLong()));
        slot.sent(sender.lastBytes());
    }

    /** Heartbeats go out every other tick. */
    private int heartbeatSpacingMillis() {
        return (int) (2 * Math.max(10, settings.heartbeat().toMillis() / 4));
    }

    /** Idle mode: no app traffic for {@code --idle}: close every conn, send nothing until the app speaks. */
    private void park() {
        parked = true;
        pool.suspend();
        counters.get("client.idle_parked").increment();
        log.info("no app traffic for {} s: conns closed until the next datagram (--idle)", settings.idle().toSeconds());
    }

    /**
     * The first datagram after a park: dial again and keep the datagram (and those that follow) until
     * the first conn opens. Returns true when the datagram was queued.
     */
    private boolean wake(ClientSession s, ByteBuffer buf) {
        synchronized (waiting) {
            if (!parked) {
                return false;
            }
            parked = false;
            waiting.offer(s, buf, clock.getAsLong());
        }
        log.info("app traffic again: dialling");
        counters.get("client.idle_woken").increment();
        // Dial on the timer thread: a dial may wait for the capture thread, which is the one that
        // will report the first conn open and flush the queue; this thread keeps reading the app.
        scheduler.execute(pool::resume);
        return true;
    }

    /** A conn opened: send what waited for it. */
    private void flushWaiting() {
        if (waiting.isEmpty()) {
            return;
        }
        synchronized (waiting) {
            PoolSlot slot = pool.pick(SizeClass.LARGE, 0); // one conn for datagrams of every size
            Conn conn = slot == null ? null : slot.conn();
            Association a = conn == null ? null : handshake.of(slot.server().getAddress());
            if (a == null) {
                return; // no conn yet, or the server's run not known yet: the HELLO_ACK flushes them
            }
            sendWaiting(slot, conn, a);
        }
    }

    /** Sends what waited, oldest first, on {@code conn}; the caller holds the lock on {@code waiting}. */
    private void sendWaiting(PoolSlot slot, Conn conn, Association a) {
        waiting.drain((session, datagram) -> {
            wakeSender.send(conn, a, FrameType.DATA, clientId, session.id, datagram);
            slot.sent(wakeSender.lastBytes());
        });
    }

    private String types() {
        return transports.stream().map(ConnTransport::type).toList().toString();
    }

    @Override
    public Map<String, Number> gauges() {
        return Map.of("sessions", sessionCount(), "open_conns", pool.openCount());
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.cancel(false);
        }
        pool.stop();
        try {
            if (app != null) {
                app.close();
            }
            if (appSelector != null) {
                appSelector.wakeup(); // the reader lets the closed channel go and ends
            }
        } catch (IOException e) {
            log.debug("closing -l: {}", e.toString());
        }
        if (appReader != null) {
            try {
                appReader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        sessions.clear();
    }
}
