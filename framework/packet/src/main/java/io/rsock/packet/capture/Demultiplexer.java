package io.rsock.packet.capture;

import io.rsock.api.codec.Ipv4;
import io.rsock.api.packet.PacketFilter;
import io.rsock.api.packet.PacketReceiver;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands each captured IPv4 packet to the most specific registration that matches it. The route
 * table is a copy-on-write array: registering is rare, dispatching is per packet and must neither
 * lock nor allocate. Every header field is checked against the packet's bounds first: captured
 * bytes are hostile input.
 */
public final class Demultiplexer {
    /** {@link #dispatch} outcome: a receiver got the packet. */
    public static final int DELIVERED = 0;
    /** {@link #dispatch} outcome: a well-formed packet no registration wants. */
    public static final int UNMATCHED = 1;
    /** {@link #dispatch} outcome: not a whole, parseable, unfragmented IPv4 packet. */
    public static final int MALFORMED = 2;

    private static final int MORE_FRAGMENTS_AND_OFFSET = 0x3FFF;
    private static final int ICMP_ECHO_REPLY = 0;
    private static final int ICMP_ECHO_REQUEST = 8;
    private static final int NO_ECHO_ID = -1;

    private volatile Route[] routes = new Route[0];

    /** One registration: a filter compiled to ints for matching, and its receiver. */
    public static final class Route {
        private final PacketFilter filter;
        private final int protocol;
        private final int localPort;
        private final boolean anyRemote;
        private final int remoteAddress;
        private final int remotePort;
        private final PacketReceiver receiver;

        Route(PacketFilter filter, PacketReceiver receiver) {
            this.filter = filter;
            this.protocol = filter.protocol();
            this.localPort = filter.localPort();
            this.anyRemote = filter.remote() == null;
            this.remoteAddress = anyRemote ? 0 : ByteBuffer.wrap(filter.remote().getAddress()).getInt();
            this.remotePort = filter.protocol() == PacketFilter.ICMP ? 0 : filter.remotePort();
            this.receiver = receiver;
        }

        public PacketFilter filter() {
            return filter;
        }

        boolean matches(int proto, int src, int srcPort, int dstPort) {
            return protocol == proto
                    && (localPort == 0 || localPort == dstPort)
                    && (anyRemote || remoteAddress == src)
                    && (remotePort == 0 || remotePort == srcPort);
        }
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
     * Delivers the IPv4 packet at {@code ipOffset} of {@code buf} (which ends at the buffer's limit)
     * to the most specific matching receiver, with the buffer positioned at the IPv4 header and
     * limited to its total length. A receiver's exception propagates to the caller.
     *
     * @return {@link #DELIVERED}, {@link #UNMATCHED} or {@link #MALFORMED}
     */
    public int dispatch(ByteBuffer buf, int ipOffset) {
        if (ipOffset < 0 || !Ipv4.isValidHeader(buf, ipOffset)
                || (Ipv4.flagsAndFragment(buf, ipOffset) & MORE_FRAGMENTS_AND_OFFSET) != 0) {
            return MALFORMED;
        }
        int headerLength = Ipv4.headerLength(buf, ipOffset);
        int totalLength = Ipv4.totalLength(buf, ipOffset);
        int l4 = ipOffset + headerLength;
        int l4Length = totalLength - headerLength;
        int protocol = Ipv4.protocol(buf, ipOffset);
        int srcPort = 0;
        int dstPort = 0;
        if (protocol == PacketFilter.TCP || protocol == PacketFilter.UDP) {
            if (l4Length < 4) {
                return MALFORMED;
            }
            srcPort = buf.getShort(l4) & 0xFFFF;
            dstPort = buf.getShort(l4 + 2) & 0xFFFF;
        } else if (protocol == PacketFilter.ICMP) {
            if (l4Length < 8) {
                return MALFORMED;
            }
            int type = buf.get(l4) & 0xFF;
            dstPort = type == ICMP_ECHO_REQUEST || type == ICMP_ECHO_REPLY ? buf.getShort(l4 + 4) & 0xFFFF : NO_ECHO_ID;
        }
        int source = Ipv4.source(buf, ipOffset);
        for (Route r : routes) {
            if (r.matches(protocol, source, srcPort, dstPort)) {
                buf.limit(ipOffset + totalLength).position(ipOffset);
                r.receiver.received(buf);
                return DELIVERED;
            }
        }
        return UNMATCHED;
    }
}
