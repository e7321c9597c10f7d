package io.rsock.core.host;

import io.rsock.api.Conn;
import io.rsock.api.ConnTransport;
import io.rsock.api.Counter;
import io.rsock.core.config.TunnelSettings;
import io.rsock.core.frame.FrameCodec;
import io.rsock.core.frame.FrameKey;
import io.rsock.core.frame.FrameReader;
import io.rsock.core.frame.FrameSender;
import io.rsock.core.frame.FrameType;
import io.rsock.core.frame.Heartbeat;
import io.rsock.core.frame.Reassembler;
import io.rsock.core.frame.ReceivedFrame;
import io.rsock.core.pool.Backoff;
import io.rsock.core.pool.ConnPool;
import io.rsock.core.pool.PoolSlot;
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
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client end of the tunnel: listens for the app's UDP on {@code -l}, gives every app source
 * endpoint a session, and carries its datagrams in frames over the pool of conns to the servers;
 * replies go back to the app endpoint of their session.
 */
public final class TunnelClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TunnelClient.class);
    private static final long SILENCE_WARNING_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long SILENCE_REPEAT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final TunnelSettings settings;
    private final List<ConnTransport> transports;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier clock;
    private final Counters counters;
    private final int clientId;
    private final FrameKey key;
    private final long startedNanos;
    private final java.util.concurrent.atomic.AtomicLong frameCounter;
    private final FrameReader reader;
    private final ConnPool pool;
    private final SessionTable<SocketAddress, ClientSession> sessions;
    private final Map<Integer, ClientSession> sessionsById = new ConcurrentHashMap<>();
    private final Reassembler reassembler;
    /** One anti-replay window per server: each server numbers its frames on its own. */
    private final Map<InetAddress, io.rsock.core.frame.ReplayWindow> replayWindows = new ConcurrentHashMap<>();
    private final AtomicInteger nextSessionId = new AtomicInteger();
    // Held in fields: a method reference evaluated per datagram would allocate per datagram.
    private final java.util.function.Function<SocketAddress, ClientSession> sessionFactory = this::newSession;
    private final FrameReader.Visitor<PoolSlot> frameVisitor = this::onFrame;

    private final Counter appReceived;
    private final Counter appSent;
    private final Counter noConn;
    private final Counter noSession;
    private final Counter foreignClient;
    private final Counter appSendFailed;
    private final Counter replayed;

    private DatagramChannel app;
    private Thread appReader;
    private FrameSender timerSender;
    private final ByteBuffer heartbeatPayload = ByteBuffer.allocate(Heartbeat.SIZE);
    private ScheduledFuture<?> ticker;
    private long ticks;
    private long lastAnswerNanos;
    private long lastSilenceWarningNanos;

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
        this.frameCounter = io.rsock.core.frame.FrameCounter.startingNow();
        this.nextSessionId.set(random.nextInt() & 0x7FFFFFFF);
        this.key = FrameKey.forClient(settings.secret(), settings.crypt(), clientId);
        this.reader = new FrameReader(key, counters);
        this.pool = new ConnPool(scheduler, new Backoff(100, 1500), this::fromTunnel, clock);
        this.sessions = new SessionTable<>(settings.maxSessions(), settings.idleTimeout().toNanos(),
                settings.limits().maxNewSessions(), counters.get("session.evicted"), counters.get("session.expired"),
                counters.get("session.rate_limited"), this::sessionEnded);
        this.reassembler = new Reassembler(settings.limits().maxReassembly(), TimeUnit.SECONDS.toNanos(2),
                counters.get("fragment.dropped"), counters.get("fragment.evicted"));
        this.appReceived = counters.get("app.received");
        this.appSent = counters.get("app.sent");
        this.noConn = counters.get("tunnel.no_conn");
        this.noSession = counters.get("data.no_session");
        this.foreignClient = counters.get("frame.foreign_client");
        this.appSendFailed = counters.get("app.send_failed");
        this.replayed = counters.get("frame.replayed");
        for (InetAddress server : settings.servers()) {
            replayWindows.put(server, new io.rsock.core.frame.ReplayWindow());
        }
    }

    /** Binds {@code -l}, dials the pool, and starts carrying datagrams. */
    public void start() throws IOException {
        app = DatagramChannel.open();
        app.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        app.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
        app.bind(settings.listen());
        for (ConnTransport t : transports) {
            for (InetAddress server : settings.servers()) {
                for (int port : settings.ports().ports()) {
                    pool.add(t, new InetSocketAddress(server, port));
                }
            }
        }
        FrameSender appSender = newSender();
        timerSender = newSender();
        pool.start();
        long tickMillis = Math.max(10, settings.heartbeat().toMillis() / 2);
        ticker = scheduler.scheduleAtFixedRate(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
        appReader = new Thread(() -> readApp(appSender), "rsock-app-rx");
        appReader.setDaemon(true);
        appReader.start();
        log.info("client {} listening on {}, {} conns to {} over {}", Integer.toUnsignedString(clientId, 16),
                app.getLocalAddress(), pool.slots().size(), settings.servers(), types());
    }

    /** The pool, for status and tests. */
    public ConnPool pool() {
        return pool;
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
    public Map<String, Object> status() {
        long now = clock.getAsLong();
        List<Map<String, Object>> conns = new java.util.ArrayList<>();
        for (PoolSlot slot : pool.slots()) {
            Map<String, Object> c = new java.util.LinkedHashMap<>();
            c.put("transport", slot.transport().type());
            c.put("server", slot.server().getAddress().getHostAddress() + ":" + slot.server().getPort());
            c.put("state", slot.state().name());
            c.put("healthy", slot.healthy());
            long srtt = slot.health().srttNanos();
            c.put("rtt_ms", srtt < 0 ? null : srtt / 1e6);
            c.put("loss", slot.health().loss(now, settings.heartbeat().toNanos()));
            Conn conn = slot.conn();
            c.put("conn", conn == null ? null : conn.info().toString());
            conns.add(c);
        }
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("role", "client");
        out.put("client_id", Integer.toUnsignedString(clientId, 16));
        out.put("listen", settings.listen().toString());
        out.put("sessions", sessions.size());
        out.put("open_conns", pool.openCount());
        out.put("conns", conns);
        return out;
    }

    private FrameSender newSender() {
        return new FrameSender(key, frameCounter, counters.get("data.too_large"), counters.get("tunnel.send_failed"));
    }

    private void readApp(FrameSender sender) {
        ByteBuffer buf = ByteBuffer.allocate(FrameCodec.MAX_PAYLOAD);
        while (app.isOpen()) {
            try {
                buf.clear();
                SocketAddress from = app.receive(buf);
                buf.flip();
                appReceived.increment();
                long now = clock.getAsLong();
                ClientSession s = sessions.getOrCreate(from, now, sessionFactory);
                if (s == null) {
                    continue; // a new flow beyond --max-new-sessions per second: dropped, counted
                }
                s.touch(now);
                PoolSlot slot = pool.pick();
                Conn conn = slot == null ? null : slot.conn();
                if (conn == null) {
                    noConn.increment();
                    continue;
                }
                sender.send(conn, FrameType.DATA, clientId, s.id, buf);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // One bad datagram or a transient socket error must not end the client.
                counters.get("app.receive_error").increment();
                log.debug("app receive: {}", e.toString());
            }
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
        log.debug("session {} of {} ended: {}", s.id, s.app, why);
        if (why == Session.EndReason.SHUTDOWN) {
            return;
        }
        // Tell the server so it frees the socket now rather than after its own --duration.
        PoolSlot slot = pool.pick();
        Conn conn = slot == null ? null : slot.conn();
        if (conn != null) {
            synchronized (timerSender) {
                timerSender.send(conn, FrameType.CLOSE, clientId, s.id, ByteBuffer.allocate(0));
            }
        }
    }

    private void fromTunnel(PoolSlot slot, Conn conn, ByteBuffer frames) {
        reader.read(frames, slot, frameVisitor);
    }

    private void onFrame(PoolSlot slot, ReceivedFrame f, ByteBuffer buf) {
        if (f.clientId() != clientId) {
            foreignClient.increment();
            return;
        }
        io.rsock.core.frame.ReplayWindow window = replayWindows.get(slot.server().getAddress());
        if (window == null || !window.accept(f.counter())) {
            replayed.increment();
            return;
        }
        switch (f.type()) {
            case FrameType.DATA -> deliver(f, buf);
            case FrameType.HEARTBEAT_ACK -> {
                if (f.payloadLength() >= Heartbeat.SIZE) {
                    slot.health().answered(Heartbeat.seq(buf, f.payloadOffset()),
                            Heartbeat.sentNanos(buf, f.payloadOffset()), clock.getAsLong());
                    pool.proven(slot);
                }
            }
            default -> counters.get("frame.unexpected_type").increment();
        }
    }

    private void deliver(ReceivedFrame f, ByteBuffer buf) {
        ClientSession s = sessionsById.get(f.sessionId());
        if (s == null) {
            noSession.increment();
            return;
        }
        long now = clock.getAsLong();
        s.touch(now);
        ByteBuffer payload = buf;
        if (f.fragment() != 0) {
            payload = reassembler.add(clientId, f.counter(), f.fragment(), buf, f.payloadOffset(), f.payloadLength(), now);
            if (payload == null) {
                return;
            }
        } else {
            buf.limit(f.payloadOffset() + f.payloadLength()).position(f.payloadOffset());
        }
        try {
            app.send(payload, s.app);
            appSent.increment();
        } catch (IOException e) {
            appSendFailed.increment();
        }
    }

    /** Every half heartbeat interval: judge each conn's health; every other tick, send heartbeats. */
    private void tick() {
        try {
            long now = clock.getAsLong();
            pool.checkHealth(now, settings.heartbeat().toNanos());
            if ((ticks++ & 1) == 0) {
                for (PoolSlot slot : pool.slots()) {
                    Conn conn = slot.conn();
                    if (conn != null && slot.state() == PoolSlot.State.OPEN) {
                        int seq = slot.health().sent(now);
                        synchronized (timerSender) {
                            timerSender.send(conn, FrameType.HEARTBEAT, clientId, 0,
                                    Heartbeat.write(heartbeatPayload, seq, now));
                        }
                    }
                }
            }
            if ((ticks & 7) == 0) {
                sessions.expire(now);
                reassembler.expire(now);
                warnIfServerSilent(now);
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
                    + "and the ports (-p) match the server's, and that the server runs", silentFor / 1_000_000_000L,
                    pool.slots().size());
        }
    }

    private String types() {
        return transports.stream().map(ConnTransport::type).toList().toString();
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
