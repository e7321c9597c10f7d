package io.rsock.packet.capture;

import io.rsock.api.codec.Icmp;
import io.rsock.api.codec.Ip;
import io.rsock.api.codec.IpAddress;
import io.rsock.api.packet.PacketFilter;
import io.rsock.api.packet.PacketReceiver;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands each captured IPv4 or IPv6 packet to the most specific registration that matches it. The
 * route table is a copy-on-write array: registering is rare, dispatching is per packet and must
 * neither lock nor allocate. Every header field is checked against the packet's bounds first:
 * captured bytes are hostile input. ICMP "fragmentation needed" and ICMPv6 "packet too big" go to
 * the one {@link #onTooBig} receiver, whatever is registered: they speak of this host's own packets.
 */
public final class Demultiplexer {
    /** {@link #dispatch} outcome: a receiver got the packet. */
    public static final int DELIVERED = 0;
    /** {@link #dispatch} outcome: a well-formed packet no registration wants. */
    public static final int UNMATCHED = 1;
    /** {@link #dispatch} outcome: not a whole, parseable, unfragmented IPv4 or IPv6 packet. */
    public static final int MALFORMED = 2;

    private static final int FRAGMENTATION_NEEDED = 4;
    private static final int NO_ECHO_ID = -1;

    private volatile Route[] routes = new Route[0];
    private volatile PacketReceiver tooBig;

    /** Where ICMP "fragmentation needed" and ICMPv6 "packet too big" messages go; null: nowhere (unmatched). */
    public void onTooBig(PacketReceiver receiver) {
        this.tooBig = receiver;
    }

    /** One registration: a filter compiled to longs and ints for matching, and its receiver. */
    public static final class Route {
        private final PacketFilter filter;
        private final int protocol;
        private final int localPort;
        private final boolean anyRemote;
        private final long remoteHigh;
        private final long remoteLow;
        private final int remotePort;
        private final PacketReceiver receiver;

        Route(PacketFilter filter, PacketReceiver receiver) {
            this.filter = filter;
            this.protocol = filter.protocol();
            this.localPort = filter.localPort();
            this.anyRemote = filter.remoteAddress() == null;
            IpAddress remote = anyRemote ? null : IpAddress.of(filter.remoteAddress());
            this.remoteHigh = anyRemote ? 0 : remote.high();
            this.remoteLow = anyRemote ? 0 : remote.low();
            this.remotePort = isEcho(protocol) ? 0 : filter.remotePort();
            this.receiver = receiver;
        }

        public PacketFilter filter() {
            return filter;
        }

        /** The source's high and low words are {@link IpAddress}'s: the two families never share one. */
        boolean matches(int proto, long srcHigh, long srcLow, int srcPort, int dstPort) {
            return protocol == proto
                    && (localPort == 0 || localPort == dstPort)
                    && (anyRemote || remoteLow == srcLow && remoteHigh == srcHigh)
                    && (remotePort == 0 || remotePort == srcPort);
        }
    }

    private static boolean isEcho(int protocol) {
        return protocol == PacketFilter.ICMP || protocol == PacketFilter.ICMPV6;
    }

    /**
     * Adds a route, after every route at least as specific, so among equals the first registered wins.
     *
     * @throws IllegalStateException when the same filter is registered already
     */
    public synchronized Route add(PacketFilter filter, PacketReceiver receiver) {
        Route[] old = routes;
        for (Route r : old) {
            if (r.filter.equals(filter)) {
                throw new IllegalStateException("a receiver is registered for " + filter + " already");
            }
        }
        Route route = new Route(filter, receiver);
        int at = 0;
        while (at < old.length && old[at].filter.specificity() >= filter.specificity()) {
            at++;
        }
        Route[] next = new Route[old.length + 1];
        System.arraycopy(old, 0, next, 0, at);
        next[at] = route;
        System.arraycopy(old, at, next, at + 1, old.length - at);
        routes = next;
        return route;
    }

    /** Removes a route; false when it was removed already. */
    public synchronized boolean remove(Route route) {
        Route[] old = routes;
        for (int i = 0; i < old.length; i++) {
            if (old[i] == route) {
                Route[] next = new Route[old.length - 1];
                System.arraycopy(old, 0, next, 0, i);
                System.arraycopy(old, i + 1, next, i, old.length - i - 1);
                routes = next;
                return true;
            }
        }
        return false;
    }

    /** The filters currently routed, most specific first. */
    public List<PacketFilter> filters() {
        List<PacketFilter> out = new ArrayList<>();
        for (Route r : routes) {
            out.add(r.filter);
        }
        return out;
    }

    /**
     * Whether a registration takes packets of {@code protocol} from the remote {@code (high, low)}
     * ({@link IpAddress}'s words) and {@code remotePort} to {@code localPort} (for ICMP and ICMPv6:
     * the echo identifier): whether such a flow is one of ours.
     */
    public boolean wants(int protocol, long high, long low, int remotePort, int localPort) {
        for (Route r : routes) {
            if (r.matches(protocol, high, low, remotePort, localPort)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Delivers the IPv4 or IPv6 packet at {@code ipOffset} of {@code buf} (which ends at the
     * buffer's limit) to the most specific matching receiver, with the buffer positioned at the IP
     * header and limited to its total length. A receiver's exception propagates to the caller.
     *
     * @return {@link #DELIVERED}, {@link #UNMATCHED} or {@link #MALFORMED}
     */
    public int dispatch(ByteBuffer buf, int ipOffset) {
        if (!Ip.isValidHeader(buf, ipOffset) || Ip.isFragment(buf, ipOffset)) {
            return MALFORMED;
        }
        int headerLength = Ip.headerLength(buf, ipOffset);
        int totalLength = Ip.totalLength(buf, ipOffset);
        int l4 = ipOffset + headerLength;
        int l4Length = totalLength - headerLength;
        int protocol = Ip.protocol(buf, ipOffset);
        int srcPort = 0;
        int dstPort = 0;
        if (protocol == PacketFilter.TCP || protocol == PacketFilter.UDP) {
            if (l4Length < 4) {
                return MALFORMED;
            }
            srcPort = buf.getShort(l4) & 0xFFFF;
            dstPort = buf.getShort(l4 + 2) & 0xFFFF;
        } else if (isEcho(protocol)) {
            if (l4Length < Icmp.HEADER) {
                return MALFORMED;
            }
            int type = buf.get(l4) & 0xFF;
            boolean v6 = protocol == PacketFilter.ICMPV6;
            if (v6 ? type == Icmp.PACKET_TOO_BIG_V6 : type == Icmp.DESTINATION_UNREACHABLE && (buf.get(l4 + 1) & 0xFF) == FRAGMENTATION_NEEDED) {
                return deliverTooBig(buf, ipOffset, totalLength);
            }
            int version = v6 ? 6 : 4;
            dstPort = type == Icmp.echoRequest(version) || type == Icmp.echoReply(version) ? buf.getShort(l4 + 4) & 0xFFFF : NO_ECHO_ID;
        }
        long srcHigh = IpAddress.sourceHigh(buf, ipOffset);
        long srcLow = IpAddress.sourceLow(buf, ipOffset);
        for (Route r : routes) {
            if (r.matches(protocol, srcHigh, srcLow, srcPort, dstPort)) {
                buf.limit(ipOffset + totalLength).position(ipOffset);
                r.receiver.received(buf);
                return DELIVERED;
            }
        }
        return UNMATCHED;
    }

    private int deliverTooBig(ByteBuffer buf, int ipOffset, int totalLength) {
        PacketReceiver r = tooBig;
        if (r == null) {
            return UNMATCHED;
        }
        buf.limit(ipOffset + totalLength).position(ipOffset);
        r.received(buf);
        return DELIVERED;
    }
}
