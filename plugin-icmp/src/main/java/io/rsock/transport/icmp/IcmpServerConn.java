package io.rsock.transport.icmp;

import io.rsock.api.CloseReason;
import io.rsock.api.Conn;
import io.rsock.api.ConnHandler;
import io.rsock.api.ConnInfo;
import io.rsock.api.codec.Icmp;
import io.rsock.api.codec.Ip;
import io.rsock.api.packet.Registration;
import io.rsock.api.raw.PacketOut;
import java.nio.ByteBuffer;

/**
 * A server conn: one client's (address, echo identifier), as the server sees it (after any NAT).
 * Its requests carry frames in and are answered, each at most once, with the frames going out; an
 * {@link EchoServer} behind the conn's lock keeps them. Replies leave from the address the requests
 * were sent to, so that they match the client's conntrack and NAT entries.
 *
 * <p>The first frame the host sends on the conn is the sign that the client authenticated (the host
 * sends nothing to anyone else): from then on a firewall rule drops this client's echo requests of
 * this identifier before the kernel answers them, installed off the packet path.
 */
final class IcmpServerConn implements Conn {
    private final IcmpTransport transport;
    private final IcmpCounters counters;
    private final EchoServer st;
    final IcmpListener listener;
    final int identifier;
    final EchoPath path;
    private final ConnHandler handler;
    private final ConnInfo info;

    private final PacketOut packetOut; // guarded by this
    private final ByteBuffer out; // guarded by this: packetOut's buffer
    private long lastRequestMs; // guarded by this
    private boolean finished; // guarded by this
    private boolean authenticated; // guarded by this
    private Registration rule; // guarded by this
    private volatile boolean open = true;

    IcmpServerConn(IcmpTransport transport, IcmpListener listener, EchoPath path, int identifier, ConnInfo info, long nowMs) {
        this.transport = transport;
        this.counters = transport.counters();
        this.listener = listener;
        this.path = path;
        this.identifier = identifier;
        this.handler = listener.handler;
        this.info = info;
        this.st = new EchoServer(transport.settings(), path.maxFrame());
        this.packetOut = new PacketOut(transport.io(), transport.mtu(), counters.sendDropped);
        this.out = packetOut.buffer();
        this.lastRequestMs = nowMs;
    }

    @Override
    public boolean send(ByteBuffer frame) {
        int n = frame.remaining();
        if (!open || n == 0 || n > path.maxFrame()) {
            return false;
        }
        boolean ok;
        boolean first;
        synchronized (this) {
            if (finished) {
                return false;
            }
            long fp = Fingerprint.of(frame);
            int seq = st.take(fp, transport.nowMillis());
            if (seq < 0) {
                ok = st.enqueue(frame, fp);
                (ok ? counters.sendQueued : counters.sendNoRequest).increment();
            } else {
                ok = packetOut.send(path.write(out, false, identifier, seq, frame));
            }
            first = !authenticated;
            authenticated = true;
        }
        if (first) {
            transport.installRule(this);
        }
        return ok;
    }

    @Override
    public int maxFrameSize() {
        return path.maxFrame();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public ConnInfo info() {
        return info;
    }

    @Override
    public void close() {
        finish(CloseReason.LOCAL);
    }

    @Override
    public String toString() {
        return info.toString();
    }

    /** One admitted echo request of this conn, the IP packet at {@code ip} of {@code b}, ICMP at {@code i}. */
    void onRequest(ByteBuffer b, int ip, int i) {
        int off = i + Icmp.HEADER;
        int len = Ip.totalLength(b, ip) - (off - ip);
        long fp = Fingerprint.of(b, off, len);
        int seq = Icmp.sequence(b, i);
        synchronized (this) {
            if (finished) {
                counters.noConn.increment();
                return;
            }
            if (st.accept(seq)) {
                long now = transport.nowMillis();
                lastRequestMs = now;
                if (st.canAnswerFromQueue(fp)) {
                    int d = path.begin(out, false, identifier, seq);
                    packetOut.send(Icmp.finishEcho(out, 0, st.pollQueued(out, d)));
                } else {
                    long before = st.overflowed();
                    st.push(seq, fp, now);
                    counters.requestsOverflowed.add(st.overflowed() - before);
                }
            } else {
                counters.duplicate.increment();
            }
        }
        // The frames go to the host whatever the window said (the host has its own replay window),
        // and only a request whose frames authenticate moves the window.
        if (len > 0) {
            b.limit(off + len).position(off);
            if (handler.receivedAuthentic(this, b)) {
                synchronized (this) {
                    st.authenticated(seq);
                }
            }
        }
    }

    /** Timers: the idle timeout; follow the path MTU. */
    void tick(long now) {
        path.follow(transport.io());
        boolean idle;
        synchronized (this) {
            if (finished) {
                return;
            }
            idle = now - lastRequestMs >= transport.settings().idleMillis();
        }
        if (idle) {
            counters.idleTimeouts.increment();
            finish(CloseReason.TIMEOUT);
        }
    }

    /** Keeps the rule installed for this conn; false (the caller removes it) when the conn finished meanwhile. */
    synchronized boolean keepRule(Registration r) {
        if (finished) {
            return false;
        }
        rule = r;
        return true;
    }

    synchronized boolean isFinished() {
        return finished;
    }

    /** Ends the conn once: out of the tables, its rule removed, the handler told. */
    void finish(CloseReason why) {
        Registration r;
        boolean wasAuthenticated;
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            open = false;
            r = rule;
            rule = null;
            wasAuthenticated = authenticated;
        }
        transport.forget(this, wasAuthenticated);
        if (r != null) {
            transport.removeRule(r);
        }
        transport.reportClosed(handler, this, why);
    }


    /** For tests: the ledger. */
    EchoServer ledger() {
        return st;
    }
}
