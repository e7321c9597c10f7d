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
 * A client conn: frames go out in echo requests with the conn's identifier, come back in the
 * server's echo replies. An {@link EchoClient} behind the conn's lock decides sequence numbers and
 * credit requests; the conn's own buffer is reused for every packet it emits. The lock is never held
 * while the handler runs.
 */
final class IcmpClientConn implements Conn {
    private final IcmpTransport transport;
    private final IcmpCounters counters;
    private final EchoClient ec;
    private final ConnHandler handler;
    private final ConnInfo info;
    private final EchoPath path;
    volatile Registration capture;

    private final PacketOut packetOut; // guarded by this
    private final ByteBuffer out; // guarded by this: packetOut's buffer
    private boolean finished; // guarded by this
    private volatile boolean open = true;

    IcmpClientConn(IcmpTransport transport, EchoClient ec, ConnHandler handler, ConnInfo info, EchoPath path) {
        this.transport = transport;
        this.counters = transport.counters();
        this.ec = ec;
        this.handler = handler;
        this.info = info;
        this.path = path;
        this.packetOut = new PacketOut(transport.io(), transport.mtu(), counters.sendDropped);
        this.out = packetOut.buffer();
    }

    int identifier() {
        return ec.identifier;
    }

    @Override
    public boolean send(ByteBuffer frame) {
        int n = frame.remaining();
        if (!open || n == 0 || n > path.maxFrame()) {
            return false;
        }
        synchronized (this) {
            if (finished) {
                return false;
            }
            long now = transport.nowMillis();
            int seq = ec.nextRequest(Fingerprint.of(frame), now);
            boolean ok = packetOut.send(path.write(out, true, ec.identifier, seq, frame));
            if (!ec.isConfirmed()) {
                // Until the server has answered once it gets no credit requests but this one: a spare
                // request, so that it can answer even when its answer is this very frame (an echo).
                sendCredit(now);
            }
            return ok;
        }
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

    /** The capture's receiver for this conn's identifier from the server (guarded by the transport's {@code CaptureGuard}). */
    void onCapture(ByteBuffer b) {
        int ip = b.position();
        if (!counters.admit(b, ip, transport.verifyChecksum())) {
            return;
        }
        int i = ip + Ip.headerLength(b, ip);
        if (Icmp.type(b, i) != Icmp.echoReply(path.local.version())) {
            counters.otherType.increment();
            return;
        }
        if (Icmp.identifier(b, i) != ec.identifier || !path.remote.isSourceOf(b, ip)) {
            counters.foreign.increment();
            return;
        }
        int off = i + Icmp.HEADER;
        int len = Ip.totalLength(b, ip) - (off - ip);
        long fp = Fingerprint.of(b, off, len);
        synchronized (this) {
            if (finished) {
                counters.noConn.increment();
                return;
            }
            long now = transport.nowMillis();
            if (ec.onReply(Icmp.sequence(b, i), fp, len, now) == EchoClient.REPLY_KERNEL) {
                counters.kernelEcho.increment();
                return;
            }
            for (int k = ec.creditsWanted(); k > 0; k--) {
                sendCredit(now);
            }
        }
        b.limit(off + len).position(off);
        handler.received(this, b);
    }

    /** Timers: forget old requests, keepalive, top up credit, idle timeout; follow the path MTU. */
    void tick(long now) {
        path.follow(transport.io());
        boolean idle;
        synchronized (this) {
            if (finished) {
                return;
            }
            long before = ec.expiredCount();
            ec.expire(now);
            counters.requestsExpired.add(ec.expiredCount() - before);
            if (ec.keepaliveDue(now)) {
                sendCredit(now);
                counters.keepalivesSent.increment();
            }
            for (int k = ec.creditsWanted(); k > 0; k--) {
                sendCredit(now);
            }
            idle = now - ec.lastServerReplyMs() >= transport.settings().idleMillis();
        }
        if (idle) {
            counters.idleTimeouts.increment();
            finish(CloseReason.TIMEOUT);
        }
    }

    /** An empty request: credit for the server to answer with a frame. Caller holds the lock. */
    private void sendCredit(long now) {
        int seq = ec.nextRequest(Fingerprint.EMPTY, now);
        path.begin(out, true, ec.identifier, seq);
        packetOut.send(Icmp.finishEcho(out, 0, 0));
        counters.creditsSent.increment();
    }

    /** Ends the conn once and tells the handler. */
    void finish(CloseReason why) {
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            open = false;
        }
        transport.forget(this);
        transport.reportClosed(handler, this, why);
    }


    /** For tests: the ledger. */
    EchoClient ledger() {
        return ec;
    }
}
