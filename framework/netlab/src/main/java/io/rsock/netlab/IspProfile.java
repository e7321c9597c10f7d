package io.rsock.netlab;

import java.time.Instant;
import java.util.Locale;

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
            """, "", true),
    /**
     * A policer of packet size: UDP datagrams longer than 1 000 bytes (UDP length) are dropped, smaller
     * ones pass, TCP and ICMP untouched. Heartbeats and small frames get through, 1 200-byte frames
     * never do: a path that is good for small frames and bad for large ones.
     */
    UDP_LARGE_DROPPED("""
                meta l4proto udp udp length > 1000 counter name "udp_dropped" drop
            """, "", true),
    /**
     * A censoring middlebox: one TCP packet in {@value #RST_SHARE} (not SYN, FIN or RST) is dropped and
     * answered with a forged RST to its sender ({@code reject with tcp reset}). The flow is then gone
     * at the isp, as a stateful firewall forgets a flow a RST closed: every later packet of that
     * 4-tuple, either way, is dropped for a minute (a new conn, on a new port, passes).
     */
    RST_FORGED("""
                ip saddr . tcp sport . ip daddr . tcp dport @reset_flows counter name "flow_dead" drop
                meta l4proto tcp tcp flags & (syn | rst | fin) == 0 numgen random mod %d == 0 \
                    add @reset_flows { ip saddr . tcp sport . ip daddr . tcp dport } \
                    add @reset_flows { ip daddr . tcp dport . ip saddr . tcp sport } \
                    counter name "tcp_reset" reject with tcp reset
            """.formatted(IspProfile.RST_SHARE), "", true),
    /**
     * Open, but UDP is dropped for {@value #BLACKOUT_SECONDS} seconds from the moment the profile is
     * applied, then the path heals by itself: a blackout and its end, at times the isp keeps.
     */
    UDP_BLACKOUT("", "", true) {
        @Override
        String forwardRules(long nowEpochSeconds) {
            return """
                        meta l4proto udp meta time >= %d meta time < %d counter name "udp_dropped" drop
                    """.formatted(nowEpochSeconds, nowEpochSeconds + BLACKOUT_SECONDS);
        }
    };

    /** {@link #RST_FORGED} answers one TCP packet in this many with a forged RST. */
    public static final int RST_SHARE = 4000;
    /** How long {@link #UDP_BLACKOUT} drops UDP after it is applied. */
    public static final int BLACKOUT_SECONDS = 4;

    private final String forwardRules;
    private final String natRules;
    private final boolean looseConntrack;

    IspProfile(String forwardRules, String natRules, boolean looseConntrack) {
        this.forwardRules = forwardRules;
        this.natRules = natRules;
        this.looseConntrack = looseConntrack;
    }

    /** The name used on command lines and in tables: {@code open}, {@code throttle}, {@code rst_forged}... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #label()}. */
    public static IspProfile of(String label) {
        return valueOf(label.trim().toUpperCase(Locale.ROOT));
    }

    boolean looseConntrack() {
        return looseConntrack;
    }

    /** The forward chain's rules at {@code nowEpochSeconds} (only a profile with a timetable looks at it). */
    String forwardRules(long nowEpochSeconds) {
        return forwardRules;
    }

    /** The whole nft script, applied now: deletes the previous table and builds this profile's. */
    String nftScript() {
        return """
                table inet rsklab
                delete table inet rsklab
                table inet rsklab {
                    counter ct_invalid { }
                    counter udp_policed { }
                    counter udp_dropped { }
                    counter tcp_reset { }
                    counter flow_dead { }
                    set reset_flows {
                        type ipv4_addr . inet_service . ipv4_addr . inet_service
                        flags dynamic, timeout
                        timeout 60s
                        size 65536
                    }
                    chain forward {
                        type filter hook forward priority 0; policy accept;
                %s    }
                    chain postrouting {
                        type nat hook postrouting priority 100; policy accept;
                %s    }
                }
                """.formatted(forwardRules(Instant.now().getEpochSecond()), natRules);
    }
}
