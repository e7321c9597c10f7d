package io.rsock.transport.icmp;

import io.rsock.api.util.LongMap;
import io.rsock.api.ConnHandler;
import io.rsock.api.codec.Icmp;
import io.rsock.api.codec.Ipv4;
import io.rsock.api.packet.PacketReceiver;
import io.rsock.api.packet.Registration;
import java.nio.ByteBuffer;

/**
 * The server's receive path: every captured inbound ICMP packet. An echo request goes to the conn of
 * its (source address, identifier), found without locks or allocation; an echo request from a flow
 * with no conn opens one if the host admits its payload ({@code ConnHandler.admits}: shaped like a
 * frame; the host closes the conn at once if the frame does not authenticate). Everything else is counted and dropped, never answered: ordinary
 * pings are the kernel's to answer, and it does, since only authenticated conns get a firewall rule.
 *
 * <p>A flow whose conn closed without ever authenticating (someone's ping with a payload, say) is
 * remembered for {@value #REFUSED_MILLIS} ms in a small direct-mapped table, so that an ordinary
 * {@code ping} does not open and close a conn for every packet.
 */
final class IcmpListener implements PacketReceiver {
    static final long REFUSED_MILLIS = 30_000;
    private static final int REFUSED_SLOTS = 1024;

    final ConnHandler handler;
    final LongMap<IcmpServerConn> conns = new LongMap<>();
    private final IcmpTransport transport;
    private final IcmpCounters counters;
    private final long[] refusedKey = new long[REFUSED_SLOTS]; // guarded by itself
    private final long[] refusedUntil = new long[REFUSED_SLOTS]; // guarded by refusedKey
    volatile Registration capture;

    IcmpListener(IcmpTransport transport, ConnHandler handler) {
        this.transport = transport;
        this.counters = transport.counters();
        this.handler = handler;
    }

    /** The table key of a client flow: its address and echo identifier. */
    static long key(int address, int identifier) {
        return (address & 0xFFFFFFFFL) << 16 | identifier;
    }

    /** On the capture thread, guarded (the transport's {@code CaptureGuard}). */
    @Override
    public void received(ByteBuffer b) {
        int ip = b.position();
        if (!counters.admit(b, ip, transport.verifyChecksum())) {
            return;
        }
        int i = ip + Ipv4.headerLength(b, ip);
        if (Icmp.type(b, i) != Icmp.ECHO_REQUEST) {
            counters.otherType.increment();
            return;
        }
        int source = Ipv4.source(b, ip);
        long key = key(source, Icmp.identifier(b, i));
        IcmpServerConn c = conns.get(key);
        if (c == null) {
            int payload = Ipv4.totalLength(b, ip) - (i - ip) - Icmp.HEADER;
            long now = transport.nowMillis();
            if (payload == 0 || transport.isClosed() || refused(key, now)) {
                counters.foreign.increment();
                return;
            }
            int lim = b.limit();
            b.limit(ip + Ipv4.totalLength(b, ip)).position(i + Icmp.HEADER);
            boolean admitted = handler.admits(b);
            b.limit(lim).position(ip);
            if (!admitted) {
                counters.foreign.increment(); // an ordinary ping with a payload, most likely
                return;
            }
            c = transport.accept(this, b, ip, i, key);
            if (c == null) {
                return; // counted
            }
        }
        c.onRequest(b, ip, i);
    }

    /** Remembers a flow whose conn closed unauthenticated. */
    void refuse(long key, long nowMs) {
        int slot = slot(key);
        synchronized (refusedKey) {
            refusedKey[slot] = key;
            refusedUntil[slot] = nowMs + REFUSED_MILLIS;
        }
    }

    private boolean refused(long key, long nowMs) {
        int slot = slot(key);
        synchronized (refusedKey) {
            return refusedKey[slot] == key && refusedUntil[slot] - nowMs > 0;
        }
    }

    private static int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & (REFUSED_SLOTS - 1);
    }

    /** Stops capturing. */
    void close() {
        Registration c = capture;
        if (c != null) {
            c.close();
        }
    }
}
