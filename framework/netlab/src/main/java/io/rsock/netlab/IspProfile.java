package io.rsock.netlab;

/**
 * What the isp namespace does to the traffic it forwards: the conditions rsock exists for. Each is
 * an nftables table {@code inet rsklab} in the isp namespace, with named counters a test reads.
 * An {@code inet} table holds for IPv4 and IPv6 alike, so every profile is also its IPv6 version:
 * UDP policed or dropped over IPv6 too, conntrack's strictness ({@code nf_conntrack_tcp_loose} is
 * one setting for both families) and {@code ct state invalid drop} for IPv6 flows, and the client
 * masqueraded over IPv6 as well (NAT66, as CPEs with a single /128 do); the counters count both.
 */
public enum IspProfile {
    /** Plain routing. */
    OPEN("", "", true),
    /** UDP policed to 2 Mbit/s (250 kbytes/s, both directions share it), TCP and ICMP untouched: the QoS rsock dodges. */
    THROTTLE("""
                meta l4proto udp limit rate over 250 kbytes/second burst 32 kbytes counter name "udp_policed" drop
            """, "", true),
    /**
     * UDP dropped (except DNS, port 53), conntrack in its strictest mode ({@code nf_conntrack_tcp_loose=0},
     * {@code be_liberal=0}) dropping what it finds invalid, and the client NATed behind the isp's
     * server-side address.
     */
    STRICT("""
                ct state invalid counter name "ct_invalid" drop
                udp dport 53 accept
                udp sport 53 ct state established accept
                meta l4proto udp counter name "udp_dropped" drop
            """, """
                oifname { "i1", "i2" } masquerade
            """, false),
    /** Open, except that UDP is dropped: what a failover test switches to mid-run (and back). */
    UDP_BLOCKED("""
                meta l4proto udp counter name "udp_dropped" drop
            """, "", true);

    private final String forwardRules;
    private final String natRules;
    private final boolean looseConntrack;

    IspProfile(String forwardRules, String natRules, boolean looseConntrack) {
        this.forwardRules = forwardRules;
        this.natRules = natRules;
        this.looseConntrack = looseConntrack;
    }

    /** The name used on command lines and in tables: {@code open}, {@code throttle}, {@code strict}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@link #label()}. */
    public static IspProfile of(String label) {
        return valueOf(label.trim().toUpperCase(java.util.Locale.ROOT));
    }

    boolean looseConntrack() {
        return looseConntrack;
    }

    /** The whole nft script: deletes the previous table and builds this profile's. */
    String nftScript() {
        return """
                table inet rsklab
                delete table inet rsklab
                table inet rsklab {
                    counter ct_invalid { }
                    counter udp_policed { }
                    counter udp_dropped { }
                    chain forward {
                        type filter hook forward priority 0; policy accept;
                %s    }
                    chain postrouting {
                        type nat hook postrouting priority 100; policy accept;
                %s    }
                }
                """.formatted(forwardRules, natRules);
    }
}
