package io.rsock.core.pool;

import io.rsock.api.CloseReason;
import io.rsock.api.Conn;
import io.rsock.api.ConnHandler;
import io.rsock.api.ConnInfo;
import io.rsock.api.ConnTransport;
import io.rsock.api.TransportException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One place of the client's pool: a (transport, server address) that always has, or is getting, a
 * conn. When its conn dies the slot redials with backoff and jitter; meanwhile the pool sends on the
 * other slots.
 */
public final class PoolSlot implements ConnHandler {
    private static final Logger log = LoggerFactory.getLogger(PoolSlot.class);

    /** Where a slot is in its life. */
    public enum State { IDLE, DIALING, OPEN, WAITING, STOPPED }

    private final ConnPool pool;
    private final ConnTransport transport;
    private final InetSocketAddress server;
    private final ConnHealth health = new ConnHealth();
    /** Shared with the other slots of this transport to this server. */
    private final SharedFate fate;
    /** Frame bytes received and sent on this slot's conns, over its life (conns come and go). */
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();

    /** The transport's conn, or null; {@link #out} wraps it. */
    private volatile Conn conn;
    private volatile CountingConn out;
    private volatile ConnDelivery delivery;
    private volatile State state = State.IDLE;
    private volatile boolean healthy;
    private volatile double heartbeatFactor = 1;
    private volatile boolean retiring;
    private final LongAdder framesSent = new LongAdder();
    private int failures;
    private ScheduledFuture<?> redial;

    PoolSlot(ConnPool pool, ConnTransport transport, InetSocketAddress server, SharedFate fate) {
        this.pool = pool;
        this.transport = transport;
        this.server = server;
        this.fate = fate;
    }

    public ConnTransport transport() {
        return transport;
    }

    public InetSocketAddress server() {
        return server;
    }

    public State state() {
        return state;
    }

    public ConnHealth health() {
        return health;
    }

    /** The open conn (what is sent on it is counted for the delivery reports), or null. */
    public Conn conn() {
        return out;
    }

    /** The open conn's delivery figures, or null before the first conn opened. */
    public ConnDelivery delivery() {
        return delivery;
    }

    /** Counts a frame of {@code bytes} sent on this slot's conn. */
    public void sent(int bytes) {
        bytesOut.add(bytes);
        framesSent.increment();
    }

    public long bytesIn() {
        return bytesIn.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }

    /** Whether the last health check found the conn answering heartbeats in time. */
    public boolean healthy() {
        return healthy;
    }

    void healthy(boolean h) {
        healthy = h;
    }

    /** Open and not retiring: may carry traffic. */
    public boolean inService() {
        return state == State.OPEN && !retiring;
    }

    /** Leaving the pool (its port left the rotation): no more traffic, conn closed soon. */
    public boolean retiring() {
        return retiring;
    }

    /** Starts retiring: the server is told at once; false if it was retiring already. */
    boolean retire() {
        Conn c;
        synchronized (this) {
            if (retiring) {
                return false;
            }
            retiring = true;
            healthy = false;
            c = out;
        }
        if (c != null) {
            pool.listener().closing(this, c);
        }
        return true;
    }

    /** What its heartbeats said at the last health check (see {@link ConnPool#heartbeatFactor}). */
    double heartbeatFactor() {
        return heartbeatFactor;
    }

    void heartbeatFactor(double f) {
        heartbeatFactor = f;
    }

    /** Frames sent on this slot, over all its conns. */
    public long framesSent() {
        return framesSent.sum();
    }

    synchronized void dial() {
        if (state == State.STOPPED || state == State.DIALING || state == State.OPEN) {
            return;
        }
        state = State.DIALING;
        conn = null;
        out = null;
        Conn c;
        try {
            c = transport.dial(server, this);
        } catch (TransportException | RuntimeException e) {
            log.warn("{} dial to {} failed: {}", transport.type(), hostPort(), e.getMessage());
            scheduleRedial();
            return;
        }
        if (state == State.DIALING && conn == null) {
            conn = c; // not opened yet: opened() or closed() will follow
        }
    }

    @Override
    public void opened(Conn c) {
        synchronized (this) {
            if (state == State.STOPPED) {
                c.close();
                return;
            }
            if (state != State.DIALING || (conn != null && conn != c)) {
                return; // a conn we gave up on
            }
            conn = c;
            delivery = ConnDelivery.named(newConnId());
            delivery.outbound().shareFate(fate);
            out = new CountingConn(c, delivery.sent());
            state = State.OPEN;
            health.reset(pool.nanoTime());
            healthy = false; // not trusted before its first heartbeat answer
        }
        log.info("conn up: {}", c.info());
        // The listener first (the tunnel client says HELLO on the conn), then the conn joins the
        // rotation: no datagram may go out on it before the HELLO.
        pool.listener().opened(this);
        pool.membershipChanged();
    }

    @Override
    public void received(Conn c, ByteBuffer frames) {
        receivedAuthentic(c, frames);
    }

    @Override
    public boolean receivedAuthentic(Conn c, ByteBuffer frames) {
        bytesIn.add(frames.remaining());
        return pool.listener().receivedAuthentic(this, c, frames);
    }

    @Override
    public void closed(Conn c, CloseReason why) {
        boolean wasOpen;
        synchronized (this) {
            boolean ours = c == conn || (state == State.DIALING && conn == null);
            if (!ours || state == State.STOPPED) {
                return;
            }
            wasOpen = state == State.OPEN;
            conn = null;
            out = null;
            healthy = false;
            if (retiring) {
                state = State.STOPPED; // its port left the rotation: nothing to redial
            } else {
                scheduleRedial();
            }
        }
        if (wasOpen) {
            log.info("conn down ({}): {}", why, c.info());
            pool.membershipChanged();
            if (why == CloseReason.RESET || why == CloseReason.FINISHED) {
                pool.listener().died(this, delivery.connId());
            }
        } else {
            log.debug("dial {} {} failed: {}", transport.type(), hostPort(), why);
        }
    }

    /** The conn stopped answering heartbeats: drop it, telling the server, and dial a new one. */
    void kill() {
        drop("conn silent, redialling: {}", true);
    }

    /** The server says the conn died at its end (a RST or FIN came there): drop it now and dial a new one. */
    void gone() {
        drop("conn reset at the server's end, redialling: {}", false);
    }

    private void drop(String logLine, boolean tellServer) {
        Conn c;
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            c = out;
            conn = null;
            out = null;
            healthy = false;
            scheduleRedial();
        }
        log.info(logLine, c.info());
        pool.membershipChanged();
        if (tellServer) {
            pool.listener().closing(this, c);
        }
        c.close();
    }

    /** The conn answered a heartbeat: it works, so the next failure starts the backoff afresh. */
    synchronized void proven() {
        failures = 0;
    }

    void stop() {
        Conn c;
        synchronized (this) {
            state = State.STOPPED;
            if (redial != null) {
                redial.cancel(false);
            }
            c = out;
            conn = null;
            out = null;
            healthy = false;
        }
        if (c != null) {
            if (!retiring) {
                pool.listener().closing(this, c);
            }
            c.close();
        }
    }

    /** Idle mode: close the conn, cancel any redial, and wait in IDLE for {@link #dial()}. */
    void park() {
        Conn c;
        synchronized (this) {
            if (state == State.STOPPED || state == State.IDLE) {
                return;
            }
            if (redial != null) {
                redial.cancel(false);
            }
            c = out;
            conn = null;
            out = null;
            healthy = false;
            failures = 0;
            state = State.IDLE;
        }
        if (c != null) {
            pool.listener().closing(this, c);
            c.close();
        }
    }

    private void scheduleRedial() {
        state = State.WAITING;
        long delay = pool.backoff().delayMillis(failures++);
        redial = pool.scheduler().schedule(this::dial, delay, TimeUnit.MILLISECONDS);
    }

    /** A random id, never 0, that names the conn to the server (in heartbeats and CONN_GONE frames). */
    private static int newConnId() {
        int id;
        do {
            id = ThreadLocalRandom.current().nextInt();
        } while (id == 0);
        return id;
    }

    private String hostPort() {
        return ConnInfo.endpoint(server);
    }
}
