package io.rsock.packet.capture;

import io.rsock.api.packet.PacketFilter;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Builds the kernel BPF expression (pcap-filter syntax) that lets through exactly the union of
 * the registered flows, so the kernel, not the capture thread, throws away everything else.
 */
public final class BpfFilter {
    /** Matches no real packet (no IPv4 frame is 1 byte long): what we capture with nothing registered. */
    public static final String MATCH_NOTHING = "less 1";

    private BpfFilter() {
    }

    /** The expression for the union of {@code filters}; duplicates collapse to one clause. */
    public static String build(Collection<PacketFilter> filters) {
        if (filters.isEmpty()) {
            return MATCH_NOTHING;
        }
        Set<String> clauses = new LinkedHashSet<>();
        for (PacketFilter f : filters) {
            clauses.add("(" + clause(f) + ")");
        }
        return "ip and (" + String.join(" or ", clauses) + ")";
    }

    /** The expression for one filter, without the outer {@code ip and}. */
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
            default -> {
                b.append("ip proto ").append(f.protocol());
                appendRemoteHost(b, f);
            }
        }
        return b.toString();
    }

    private static void appendRemoteHost(StringBuilder b, PacketFilter f) {
        if (f.remote() != null) {
            b.append(" and src host ").append(f.remote().getHostAddress());
        }
    }
}
