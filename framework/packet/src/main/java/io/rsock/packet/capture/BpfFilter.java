package io.rsock.packet.capture;

import io.rsock.api.packet.PacketFilter;
import java.net.Inet4Address;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Builds the kernel BPF expression (pcap-filter syntax) that lets through exactly the union of
 * the registered flows, so the kernel, not the capture thread, throws away everything else. A
 * flow of either family: {@code tcp}, {@code udp} and {@code src host} match IPv4 and IPv6 alike;
 * ICMPv6 echoes are matched by the bytes after the fixed IPv6 header (rsock's flows carry no
 * extension headers).
 */
public final class BpfFilter {
    /** Matches no real packet (no IP frame is 1 byte long): what we capture with nothing registered. */
    public static final String MATCH_NOTHING = "less 1";
    /**
     * ICMP "fragmentation needed" and ICMPv6 "packet too big": what tells this host that a packet of
     * its own was too large for a link on the way (path MTU discovery).
     */
    public static final String TOO_BIG = "(icmp and icmp[0] == 3 and icmp[1] == 4) or (icmp6 and ip6[40] == 2)";

    private BpfFilter() {
    }

    /** The expression for the union of {@code filters}; duplicates collapse to one clause. */
    public static String build(Collection<PacketFilter> filters) {
        return build(filters, false);
    }

    /**
     * The expression for the union of {@code filters}, and with {@code tooBig} the {@link #TOO_BIG}
     * messages too (only once something is registered: nothing registered still matches nothing).
     */
    public static String build(Collection<PacketFilter> filters, boolean tooBig) {
        if (filters.isEmpty()) {
            return MATCH_NOTHING;
        }
        Set<String> clauses = new LinkedHashSet<>();
        for (PacketFilter f : filters) {
            clauses.add("(" + clause(f) + ")");
        }
        if (tooBig) {
            clauses.add(TOO_BIG);
        }
        return String.join(" or ", clauses);
    }

    /** The expression for one filter. */
    public static String clause(PacketFilter f) {
        StringBuilder b = new StringBuilder();
        switch (f.protocol()) {
            case PacketFilter.TCP, PacketFilter.UDP -> {
                b.append(f.protocol() == PacketFilter.TCP ? "tcp" : "udp");
                if (f.localPort() != 0) {
                    b.append(" and dst port ").append(f.localPort());
                }
                appendRemoteHost(b, f);
                if (f.remotePort() != 0) {
                    b.append(" and src port ").append(f.remotePort());
                }
            }
            case PacketFilter.ICMP -> {
                b.append("icmp");
                appendRemoteHost(b, f);
                if (f.localPort() != 0) {
                    // The echo identifier is only meaningful in echo requests and replies.
                    b.append(" and (icmp[icmptype] == icmp-echo or icmp[icmptype] == icmp-echoreply)")
                            .append(" and icmp[4:2] == ").append(f.localPort());
                }
            }
            case PacketFilter.ICMPV6 -> {
                b.append("icmp6");
                appendRemoteHost(b, f);
                if (f.localPort() != 0) {
                    b.append(" and (ip6[40] == 128 or ip6[40] == 129) and ip6[44:2] == ").append(f.localPort());
                }
            }
            default -> {
                b.append(f.remoteAddress() == null || f.remoteAddress() instanceof Inet4Address ? "ip" : "ip6")
                        .append(" proto ").append(f.protocol());
                appendRemoteHost(b, f);
            }
        }
        return b.toString();
    }

    private static void appendRemoteHost(StringBuilder b, PacketFilter f) {
        if (f.remoteAddress() != null) {
            b.append(" and src host ").append(f.remoteAddress().getHostAddress());
        }
    }
}
