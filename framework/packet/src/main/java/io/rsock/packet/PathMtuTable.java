package io.rsock.packet;

import io.rsock.api.codec.Icmp;
import io.rsock.api.codec.Ip;
import io.rsock.api.codec.IpAddress;
import io.rsock.api.codec.Ipv4;
import io.rsock.api.codec.Ipv6;
import io.rsock.api.packet.PacketFilter;
import io.rsock.api.packet.PacketReceiver;
import io.rsock.packet.capture.Demultiplexer;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Path MTU discovery for raw packets (RFC 1191, RFC 8201): what a router said when a packet of ours
 * was too large for its next link. Our IPv4 packets carry DF and no router fragments an IPv6 packet,
 * so such a packet is dropped on the way and the router answers with ICMP "fragmentation needed"
 * (type 3 code 4) or ICMPv6 "packet too big" (type 2), quoting the start of our packet and the MTU
 * that fits. The kernel cannot learn it for us (no socket of its owns these flows), so the capture
 * hands those messages here; transports ask {@link #pathMtu} and size their frames under it.
 *
 * <p>The messages are unauthenticated, so: the checksum must be right, the quoted packet must be
 * one of ours (our address as its source) of a flow a transport registered (its ports, or echo
 * identifier, and peer), the MTU only ever lowers the device's and never below the family's floor
 * (1 280 for IPv6, {@value #MIN_MTU_V4} for IPv4, Linux's {@code min_pmtu}), and what was learned
 * expires after {@value #EXPIRE_MINUTES} minutes (Linux's {@code mtu_expires}), so a forged message
 * can at most shrink frames for a while. At most {@value #MAX_ENTRIES} destinations are kept.
 */
public final class PathMtuTable implements PacketReceiver {
    static final int MIN_MTU_V4 = 552;
    static final int EXPIRE_MINUTES = 10;
    static final int MAX_ENTRIES = 1024;
    private static final long EXPIRE_NANOS = TimeUnit.MINUTES.toNanos(EXPIRE_MINUTES);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final Logger log = LoggerFactory.getLogger(PathMtuTable.class);

    /** A learned MTU and when it stops counting. */
    private record Entry(int mtu, long expiresNanos) {
    }

    private final int deviceMtu;
    private final Predicate<InetAddress> ours;
    private final Demultiplexer flows;
    private final LongSupplier clock;
    private final Map<InetAddress, Entry> learned = new ConcurrentHashMap<>();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private long nextLog;

    /**
     * @param deviceMtu the device's MTU: the most a path can be
     * @param ours whether an address is one of this host's (the quoted packet's source must be)
     * @param flows whose registrations say which flows are ours
     * @param clock {@link System#nanoTime()}, or a test's
     */
    public PathMtuTable(int deviceMtu, Predicate<InetAddress> ours, Demultiplexer flows, LongSupplier clock) {
        this.deviceMtu = deviceMtu;
        this.ours = ours;
        this.flows = flows;
        this.clock = clock;
    }

    /** The path MTU towards {@code destination}: the device's, or less as a router said. Allocates nothing. */
    public int pathMtu(InetAddress destination) {
        if (learned.isEmpty()) {
            return deviceMtu;
        }
        Entry e = learned.get(destination);
        return e == null || clock.getAsLong() - e.expiresNanos >= 0 ? deviceMtu : e.mtu;
    }

    /** A "fragmentation needed" or "packet too big" message, the IP packet at the buffer's position (capture thread). */
    @Override
    public void received(ByteBuffer b) {
        int ip = b.position();
        if (!Icmp.isValid(b, ip) || !Icmp.verifyPacketChecksum(b, ip)) {
            refused.increment();
            return;
        }
        boolean v6 = Ip.version(b, ip) == 6;
        int icmp = ip + Ip.headerLength(b, ip);
        int end = ip + Ip.totalLength(b, ip);
        int quoted = icmp + Icmp.HEADER;
        int mtu = v6 ? b.getInt(icmp + 4) : b.getShort(icmp + 6) & 0xFFFF;
        // The quote: at least the IP header and the first 8 bytes of the transport (ports, echo id).
        if (end - quoted < (v6 ? Ipv6.HEADER : Ipv4.MIN_HEADER) + 8 || Ip.version(b, quoted) != (v6 ? 6 : 4)
                || !v6 && Ipv4.headerLength(b, quoted) < Ipv4.MIN_HEADER) {
            refused.increment();
            return;
        }
        int inner = quoted + (v6 ? Ipv6.HEADER : Ipv4.headerLength(b, quoted));
        if (end - inner < 8 || !ourFlow(b, quoted, inner, v6) || mtu <= 0) {
            refused.increment();
            return;
        }
        IpAddress destination = v6 ? IpAddress.v6(b.getLong(quoted + 24), b.getLong(quoted + 32)) : IpAddress.v4(Ipv4.destination(b, quoted));
        learn(destination.toInetAddress(), Math.max(mtu, v6 ? Ipv6.MIN_MTU : MIN_MTU_V4));
    }

    /** Whether the quoted packet is ours: from one of our addresses, of a flow a transport registered. */
    private boolean ourFlow(ByteBuffer b, int quoted, int inner, boolean v6) {
        IpAddress source = v6 ? IpAddress.v6(b.getLong(quoted + 8), b.getLong(quoted + 16)) : IpAddress.v4(Ipv4.source(b, quoted));
        if (!ours.test(source.toInetAddress())) {
            return false;
        }
        int protocol = v6 ? Ipv6.nextHeader(b, quoted) : Ipv4.protocol(b, quoted);
        long high = v6 ? b.getLong(quoted + 24) : 0;
        long low = v6 ? b.getLong(quoted + 32) : IpAddress.v4Low(Ipv4.destination(b, quoted));
        if (protocol == PacketFilter.TCP || protocol == PacketFilter.UDP) {
            // Our packet went from our port to the peer's: a flow whose replies come from the peer's port to ours.
            return flows.wants(protocol, high, low, b.getShort(inner + 2) & 0xFFFF, b.getShort(inner) & 0xFFFF);
        }
        if (protocol == PacketFilter.ICMP || protocol == PacketFilter.ICMPV6) {
            return flows.wants(protocol, high, low, 0, b.getShort(inner + 4) & 0xFFFF);
        }
        return false;
    }

    private void learn(InetAddress destination, int mtu) {
        if (mtu >= deviceMtu) {
            return;
        }
        long now = clock.getAsLong();
        Entry old = learned.get(destination);
        if (old != null && now - old.expiresNanos < 0 && old.mtu <= mtu) {
            return; // only ever lower while it lasts
        }
        if (old == null && learned.size() >= MAX_ENTRIES) {
            learned.entrySet().removeIf(e -> now - e.getValue().expiresNanos >= 0);
            if (learned.size() >= MAX_ENTRIES) {
                refused.increment();
                return;
            }
        }
        learned.put(destination, new Entry(mtu, now + EXPIRE_NANOS));
        accepted.increment();
        if (now - nextLog >= 0) {
            nextLog = now + LOG_INTERVAL_NANOS;
            log.info("path MTU towards {} is {} bytes (a router said so; the device's is {}): frames are sized to fit",
                    destination.getHostAddress(), mtu, deviceMtu);
        }
    }

    /** Messages that lowered a path MTU. */
    public long accepted() {
        return accepted.sum();
    }

    /** Messages refused: bad checksum, not about a packet of ours, or no room. */
    public long refused() {
        return refused.sum();
    }
}
