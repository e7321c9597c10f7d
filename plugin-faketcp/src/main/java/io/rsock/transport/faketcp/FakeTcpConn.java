package io.rsock.transport.faketcp;

import io.rsock.api.CloseReason;
import io.rsock.api.Conn;
import io.rsock.api.ConnHandler;
import io.rsock.api.ConnInfo;
import io.rsock.api.codec.IpAddress;
import io.rsock.api.packet.Registration;
import io.rsock.api.raw.PacketOut;
import java.nio.ByteBuffer;

/**
 * One fake TCP conn: a {@link TcpEndpoint} behind a lock, its own send buffer (reused for every
 * packet it emits: no allocation per packet), and the handler calls. The lock is never held while
 * the handler runs, so a handler may send from inside {@code received}.
 */
final class FakeTcpConn implements Conn {

    private final FakeTcpTransport transport;
    private final FakeTcpCounters counters;
    private final TcpEndpoint ep;
    private final ConnHandler handler;
    private final ConnInfo info;
    private final boolean client;
    /** Server: the listener, whose table has this conn under its remote address and port; client: null. */
    final FakeTcpListener listener;
    /** Client: the capture registration and the firewall rule of this conn's local port. */
    volatile Registration capture;
    volatile Registration rule;

    private final PacketOut packetOut; // guarded by this
    private final ByteBuffer out; // guarded by this: packetOut's buffer
    private boolean opened; // guarded by this
    private boolean finished; // guarded by this
    private boolean halfOpen; // guarded by this: counted in the transport's half-open count
    private volatile boolean open;

    FakeTcpConn(FakeTcpTransport transport, TcpEndpoint ep, ConnHandler handler, ConnInfo info, FakeTcpListener listener) {
        this.transport = transport;
        this.counters = transport.counters();
        this.ep = ep;
        this.handler = handler;
        this.info = info;
        this.listener = listener;
        this.client = listener == null;
        this.halfOpen = !client;
        this.packetOut = new PacketOut(transport.io(), transport.mtu(), counters.sendDropped);
        this.out = packetOut.buffer();
    }

    @Override
    public boolean send(ByteBuffer frame) {
        if (!open) {
            return false;
        }
        synchronized (this) {
            if (!open) {
                return false;
            }
            int len = segment(out, frame, transport.nowMillis());
            return len >= 0 && packetOut.send(len);
        }
    }

    /**
     * Writes the segment that carries {@code frame} at the start of {@code packet}: its length, or -1
     * when the frame is too large or the window is full (counted). Caller holds the lock.
     */
    private int segment(ByteBuffer packet, ByteBuffer frame, long nowMs) {
        if (frame.remaining() > ep.maxPayload()) {
            return -1;
        }
        int len = ep.writeData(packet, frame, nowMs);
        if (len < 0) {
            counters.windowFull.increment();
        }
        return len;
    }

    /**
     * Builds a packet per frame under the lock, in sequence order, and hands them to the packet
     * layer together: one system call for the lot where the host can.
     */
    @Override
    public int send(ByteBuffer[] frames, int count) {
        if (count == 1) {
            return send(frames[0]) ? 1 : 0;
        }
        if (!open) {
            return 0;
        }
        ByteBuffer[] packets = transport.sendBuffers();
        int sent = 0;
        for (int first = 0; first < count; first += packets.length) {
            synchronized (this) {
                if (!open) {
                    return sent;
                }
                int built = 0;
                long now = transport.nowMillis();
                for (int i = first; i < Math.min(count, first + packets.length); i++) {
                    ByteBuffer p = packets[built];
                    p.clear();
                    int len = segment(p, frames[i], now);
                    if (len >= 0) {
                        p.limit(len).position(0);
                        built++;
                    }
                }
                int went = transport.io().send(packets, built);
                counters.sendDropped.add(built - went);
                sent += went;
            }
        }
        return sent;
    }

    @Override
    public int maxFrameSize() {
        synchronized (this) {
            return ep.maxPayload();
        }
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
        finish(CloseReason.LOCAL, Bye.FIN);
    }

    @Override
    public String toString() {
        return info.toString();
    }

    /** Sends the first packet: the client's SYN or the server's SYN-ACK. */
    void start() {
        synchronized (this) {
            if (finished) {
                return;
            }
            long now = transport.nowMillis();
            packetOut.send(client ? ep.writeSyn(out, now) : ep.writeSynAck(out, now));
        }
    }

    /** Client: the capture's receiver for this conn's flow (guarded by the transport's {@code CaptureGuard}). */
    void onCapture(ByteBuffer b) {
        int ip = b.position();
        if (counters.admit(b, ip, transport.verifyChecksum())) {
            onSegment(b, ip);
        }
    }

    /** One admitted segment of this conn, an IP packet at {@code ip} of {@code b}. */
    void onSegment(ByteBuffer b, int ip) {
        Segment seg;
        boolean notifyOpened = false;
        boolean wasOpened;
        int off;
        int len;
        CloseReason why = null;
        boolean ackDue;
        synchronized (this) {
            if (finished) {
                counters.noConn.increment();
                return;
            }
            seg = ep.onSegment(b, ip, transport.nowMillis());
            // A data segment's ACK waits for the host's verdict on its frames (see acknowledge).
            ackDue = seg == Segment.DATA && ep.reply() == Reply.ACK;
            if (ep.reply() != Reply.NONE && !ackDue) {
                int n = ep.writeReply(out, transport.nowMillis());
                if (n > 0) {
                    packetOut.send(n);
                    if (ep.challenged()) {
                        counters.challengeAcks.increment();
                    }
                }
            }
            if (counters.refused(seg)) {
                return;
            }
            switch (seg) {
                case CONNECTED:
                    opened = true;
                    open = true;
                    notifyOpened = true;
                    break;
                case DATA:
                    if (!opened) {
                        opened = true;
                        open = true;
                        notifyOpened = true;
                        if (halfOpen) {
                            halfOpen = false;
                            transport.halfOpenDone();
                        }
                    }
                    break;
                case RESET:
                    counters.rstReceived.increment();
                    why = CloseReason.RESET;
                    break;
                case FIN:
                    counters.finReceived.increment();
                    why = CloseReason.FINISHED;
                    break;
                default:
                    break;
            }
            wasOpened = opened;
            off = ep.payloadOffset();
            len = ep.payloadLength();
        }
        if (notifyOpened) {
            handler.opened(this);
        }
        if (len > 0 && wasOpened && (seg == Segment.DATA || seg == Segment.FIN)) {
            b.limit(off + len).position(off);
            boolean authentic = handler.receivedAuthentic(this, b);
            if (seg == Segment.DATA) {
                acknowledge(authentic, ackDue);
            }
        }
        if (why != null) {
            finish(why, Bye.NONE);
        }
    }

    /**
     * Moves the acknowledgment past the segment just delivered only if the host found its frames
     * authentic: bytes a blind attacker put in the window stay unacknowledged.
     */
    private void acknowledge(boolean authentic, boolean ackDue) {
        if (!authentic) {
            counters.unauthenticatedPayload.increment();
        }
        synchronized (this) {
            if (finished) {
                return;
            }
            if (authentic) {
                ep.acceptPayload();
            }
            if (ackDue) {
                packetOut.send(ep.writeAck(out, transport.nowMillis()));
            }
        }
    }

    /** Runs the endpoint's timers; follows the path MTU a router reported. */
    void tick(long now) {
        int r;
        TcpEndpoint.State before;
        int pathMtu = transport.io().pathMtu(info.remote().getAddress());
        synchronized (this) {
            if (finished) {
                return;
            }
            ep.pathMtu(pathMtu);
            before = ep.state();
            boolean acking = ep.unackedSegments() > 0;
            r = ep.tick(out, now, opened);
            if (r == TcpEndpoint.TICK_SEND) {
                packetOut.send(ep.lastLength());
                if (before == TcpEndpoint.State.SYN_SENT) {
                    counters.synRetries.increment();
                } else if (acking) {
                    counters.acksSent.increment();
                } else {
                    counters.keepalivesSent.increment();
                }
            }
        }
        if (r == TcpEndpoint.TICK_TIMEOUT) {
            if (before == TcpEndpoint.State.SYN_SENT) {
                counters.handshakeTimeouts.increment();
            } else if (before == TcpEndpoint.State.SYN_RECEIVED || !opened()) {
                counters.halfOpenTimeouts.increment();
            } else {
                counters.idleTimeouts.increment();
            }
            finish(CloseReason.TIMEOUT, Bye.RST);
        }
    }

    private synchronized boolean opened() {
        return opened;
    }

    /**
     * Ends the conn once: says goodbye as asked (when the endpoint can still speak), releases what
     * the conn holds, and tells the handler, unless this is a server conn the host never saw opened.
     */
    void finish(CloseReason why, Bye bye) {
        boolean report;
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            open = false;
            TcpEndpoint.State s = ep.state();
            long now = transport.nowMillis();
            if (bye == Bye.FIN && s == TcpEndpoint.State.ESTABLISHED) {
                packetOut.send(ep.writeFin(out, now));
            } else if (bye == Bye.RST && (s == TcpEndpoint.State.ESTABLISHED || s == TcpEndpoint.State.SYN_RECEIVED)) {
                packetOut.send(ep.writeRst(out, now));
            }
            report = client || opened;
            if (halfOpen) {
                halfOpen = false;
                transport.halfOpenDone();
            }
        }
        // The host first: it stops sending on the conn and tells the peer at once; letting go of the
        // capture and the firewall rule takes longer.
        if (report) {
            handler.closed(this, why);
        }
        transport.forget(this);
    }

    /** The remote address, the key of a server conn in its listener's table. */
    IpAddress remoteAddress() {
        return ep.remoteAddr;
    }

    /** The remote port, the rest of that key. */
    int remotePort() {
        return ep.remotePort;
    }

    /** For tests: the state machine. */
    TcpEndpoint endpoint() {
        return ep;
    }
}
