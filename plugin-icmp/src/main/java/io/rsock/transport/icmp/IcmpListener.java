package io.rsock.transport.icmp;

import io.rsock.api.ConnHandler;
import io.rsock.api.codec.Icmp;
import io.rsock.api.codec.Ip;
import io.rsock.api.codec.IpAddress;
import io.rsock.api.packet.PacketReceiver;
import io.rsock.api.packet.Registration;
import io.rsock.api.util.FlowMap;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The server's receive path: every captured inbound ICMP and ICMPv6 packet. An echo request goes to
 * the conn of its (source address, identifier), found without locks or allocation; an echo request from a flow
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
    final FlowMap<IcmpServerConn> conns = new FlowMap<>();
    private final IcmpTransport transport;
    private final IcmpCounters counters;
    /** Seeds the refused table's keys: a peer choosing its addresses cannot aim at another's slot or key. */
    private final long seed = ThreadLocalRandom.current().nextLong();
    private final long[] refusedKey = new long[REFUSED_SLOTS]; // guarded by itself
    private final long[] refusedUntil = new long[REFUSED_SLOTS]; // guarded by refusedKey
    /** The captures of ICMP (IPv4) and ICMPv6 echo requests. */
    volatile Registration capture;
    volatile Registration capture6;

    IcmpListener(IcmpTransport transport, ConnHandler handler) {
        this.transport = transport;
        this.counters = transport.counters();
        this.handler = handler;
    }

    /** The refused table's key of a client flow, its address's words and echo identifier: a seeded 64-bit mix. */
    long key(long high, long low, int identifier) {
        long h = (low ^ seed) * 0x9E3779B97F4A7C15L;
        h = (h ^ (h >>> 32) ^ high) * 0xFF51AFD7ED558CCDL;
        h = (h ^ (h >>> 29) ^ identifier) * 0xC4CEB9FE1A85EC53L;
        return h ^ (h >>> 32);
    }

    /** On the capture thread, guarded (the transport's {@code CaptureGuard}). */
    @Override
    public void received(ByteBuffer b) {
        int ip = b.position();
        if (!counters.admit(b, ip, transport.verifyChecksum())) {
            return;
        }
        int i = ip + Ip.headerLength(b, ip);
        if (Icmp.type(b, i) != Icmp.echoRequest(Ip.version(b, ip))) {
            counters.otherType.increment();
            return;
        }
        long high = IpAddress.sourceHigh(b, ip);
        long low = IpAddress.sourceLow(b, ip);
        int id = Icmp.identifier(b, i);
        IcmpServerConn c = conns.get(high, low, id);
        if (c == null) {
            int payload = Ip.totalLength(b, ip) - (i - ip) - Icmp.HEADER;
            long now = transport.nowMillis();
            long key = key(high, low, id);
            if (payload == 0 || transport.isClosed() || refused(key, now)) {
                counters.foreign.increment();
                return;
            }
            int lim = b.limit();
            b.limit(ip + Ip.totalLength(b, ip)).position(i + Icmp.HEADER);
            boolean admitted = handler.admits(b);
            b.limit(lim).position(ip);
            if (!admitted) {
                counters.foreign.increment(); // an ordinary ping with a payload, most likely
                return;
            }
            c = transport.accept(this, b, ip, i);
            if (c == null) {
                return; // counted
            }
        }
        c.onRequest(b, ip, i);
    }

    /** Remembers a flow whose conn closed unauthenticated. */
    void refuse(IpAddress address, int identifier, long nowMs) {
        long key = key(address.high(), address.low(), identifier);
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
        for (Registration c : new Registration[] {capture, capture6}) {
            if (c != null) {
                c.close();
            }
        }
    }
}
