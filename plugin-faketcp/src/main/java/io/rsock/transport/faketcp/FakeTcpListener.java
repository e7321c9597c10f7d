package io.rsock.transport.faketcp;

import io.rsock.api.ConnHandler;
import io.rsock.api.codec.Ip;
import io.rsock.api.codec.IpAddress;
import io.rsock.api.codec.Ipv6;
import io.rsock.api.codec.Tcp;
import io.rsock.api.util.FlowMap;
import io.rsock.api.packet.PacketReceiver;
import io.rsock.api.packet.Registration;
import java.nio.ByteBuffer;

/**
 * The server side of one port, for clients of both families: gets every captured segment to the
 * port, hands it to the conn of its source (a lock-free lookup by address and port, allocating
 * nothing), and accepts SYNs that carry a good handshake
 * token. To everyone else the port is a closed one: a SYN without a token, and any segment of an
 * unknown flow, get the RST a closed port of a Linux host gives (a client whose server restarted
 * learns at once), or nothing with {@code tcp.stranger=drop}; neither takes any state.
 */
final class FakeTcpListener implements PacketReceiver {
    final int port;
    final ConnHandler handler;
    final FlowMap<FakeTcpConn> conns = new FlowMap<>();
    private final FakeTcpTransport transport;
    private final FakeTcpCounters counters;
    private final ByteBuffer rstBuf; // guarded by this
    volatile Registration capture;
    volatile Registration rule;

    FakeTcpListener(FakeTcpTransport transport, int port, ConnHandler handler) {
        this.transport = transport;
        this.counters = transport.counters();
        this.port = port;
        this.handler = handler;
        this.rstBuf = ByteBuffer.allocateDirect(Ipv6.HEADER + Tcp.MIN_HEADER);
    }

    /** On the capture thread, guarded (the transport's {@code CaptureGuard}). */
    @Override
    public void received(ByteBuffer b) {
        int ip = b.position();
        if (!counters.admit(b, ip, transport.verifyChecksum())) {
            return;
        }
        int t = ip + Ip.headerLength(b, ip);
        FakeTcpConn c = conns.get(IpAddress.sourceHigh(b, ip), IpAddress.sourceLow(b, ip), Tcp.sourcePort(b, t));
        if (c != null) {
            c.onSegment(b, ip);
            return;
        }
        int flags = Tcp.flags(b, t);
        if ((flags & (Tcp.SYN | Tcp.ACK | Tcp.RST | Tcp.FIN)) == Tcp.SYN) {
            if (transport.authenticSyn(b, t, port)) {
                transport.accept(this, b, ip);
                return;
            }
            counters.synStranger.increment();
        } else {
            counters.noConn.increment();
        }
        if ((flags & Tcp.RST) == 0) {
            answerStranger(b, ip);
        }
    }

    /** What a closed port answers: the kernel's RST, byte for byte where a scanner looks (rate-limited), or nothing. */
    private void answerStranger(ByteBuffer b, int ip) {
        if (transport.dropsStrangers() || transport.isClosed() || !transport.mayReset()) {
            return;
        }
        synchronized (this) {
            int n = TcpEndpoint.writeResetFor(rstBuf, b, ip);
            rstBuf.limit(n).position(0);
            transport.io().send(rstBuf);
            rstBuf.clear();
        }
    }

    /** Stops capturing and removes the firewall rule. */
    void close() {
        Registration c = capture;
        if (c != null) {
            c.close();
        }
        Registration r = rule;
        if (r != null) {
            r.close();
        }
    }
}
